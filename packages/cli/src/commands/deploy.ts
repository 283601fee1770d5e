import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { resolveSettings } from '../settings-sources.js';
import type { CommandRunner } from './shared-options.js';
import { say } from './terminal.js';

// The R2 bucket wrangler/gateway.toml names; `url` images live there.
const BUCKET = 'imagegen-images';

/** The gateway Worker's wrangler configuration, shipped with @imagegen/http (beside its package.json). */
const gatewayConfig = (): string => fileURLToPath(new URL('wrangler/gateway.toml', import.meta.resolve('@imagegen/http/package.json')));

/** wrangler as the project has it (node_modules/.bin, from here up), else on the PATH; never downloaded. */
function findWrangler(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', 'wrangler');
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) break;
  }
  const which = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['wrangler'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim().split('\n')[0] : undefined;
}

/** Runs wrangler with its output shown; resolves to its exit code and what it printed. */
function wrangler(bin: string, args: string[], input?: string): { code: number; output: string } {
  const result = spawnSync(bin, args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: [input === undefined ? 'inherit' : 'pipe', 'pipe', 'pipe'],
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { code: result.status ?? 1, output };
}

async function deploy(flags: { dryRun?: boolean }): Promise<number> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    say(`imagegen deploy runs wrangler, which needs Node >= 22.12 (this is ${process.version})`);
    return EXIT.notConfigured;
  }
  const bin = findWrangler(process.cwd());
  if (!bin) {
    say('wrangler not found: add it to your project (npm install -D wrangler@4) and run imagegen deploy there again');
    return EXIT.notConfigured;
  }
  const config = gatewayConfig();
  if (flags.dryRun) {
    const out = mkdtempSync(join(tmpdir(), 'imagegen-deploy-'));
    try {
      const built = wrangler(bin, ['deploy', '--dry-run', '--outdir', out, '--config', config]);
      process.stdout.write(built.output);
      if (built.code !== 0) return EXIT.failed;
      say(`dry run: the gateway Worker builds with its bindings (AI, IMAGES: R2 ${BUCKET}, IMAGEGEN_STATE); nothing was sent`);
      return EXIT.ok;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const bucket = wrangler(bin, ['r2', 'bucket', 'create', BUCKET]);
  if (bucket.code !== 0 && !/already exists/i.test(bucket.output)) {
    process.stderr.write(bucket.output);
    return EXIT.failed;
  }
  say(`R2 bucket ${BUCKET}: ready`);
  const { env } = await resolveSettings({}, process.env, process.cwd());
  let keys = env.IMAGEGEN_GATEWAY_KEYS?.trim();
  if (!keys) {
    // A key of its own, shown once: the person deploying is the one who must pass it on.
    keys = `ig_${randomBytes(24).toString('base64url')}`;
    say(`no IMAGEGEN_GATEWAY_KEYS set: the gateway's key is ${keys} (shown this once; send it as Authorization: Bearer)`);
  }
  const secret = wrangler(bin, ['secret', 'put', 'IMAGEGEN_GATEWAY_KEYS', '--config', config], keys);
  if (secret.code !== 0) {
    // wrangler's words only: the key was its input, never echoed.
    process.stderr.write(secret.output.split(keys).join('[redacted]'));
    return EXIT.failed;
  }
  say('secret IMAGEGEN_GATEWAY_KEYS: set');
  const deployed = wrangler(bin, ['deploy', '--config', config]);
  process.stdout.write(deployed.output);
  return deployed.code === 0 ? EXIT.ok : EXIT.failed;
}

/** `imagegen deploy [--dry-run]` */
export function registerDeploy(program: Command, run: CommandRunner): void {
  program
    .command('deploy')
    .description(
      `deploy the gateway as a Cloudflare Worker with wrangler: the R2 bucket ${BUCKET}, the secret IMAGEGEN_GATEWAY_KEYS (yours, or a new key shown once), then wrangler deploy`,
    )
    .option('--dry-run', 'build the Worker and list its bindings; send nothing to Cloudflare')
    .action((flags: { dryRun?: boolean }) => run(() => deploy(flags)));
}
