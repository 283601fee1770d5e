// `pnpm --filter @imagegen/workers check:deploy`: wrangler builds each worker's bundle as
// `wrangler deploy` would, offline (--dry-run sends nothing to Cloudflare). wrangler 4 needs
// Node >= 22.12: CI runs this in its Node 24 pass.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`check:deploy: wrangler needs Node >= 22.12, this is ${process.version}`);
  process.exit(1);
}
const out = mkdtempSync(join(tmpdir(), 'imagegen-wrangler-'));
try {
  for (const [config, bundle] of [
    ['flux', 'flux.js'],
    ['sdxl', 'sdxl.js'],
    ['imagegen', 'imagegen-worker.js'],
  ]) {
    const dir = join(out, config);
    const log = execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', dir, '--config', `wrangler/${config}.toml`], {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      encoding: 'utf8',
    });
    if (!log.includes('env.AI') || statSync(join(dir, bundle)).size === 0) throw new Error(`wrangler did not build ${config}:\n${log}`);
    console.log(`check:deploy: wrangler built wrangler/${config}.toml (${statSync(join(dir, bundle)).size} bytes, AI binding)`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
