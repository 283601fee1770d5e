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
  // The three workers, and the gateway deployed as a Worker (@imagegen/http) with its bindings.
  for (const [config, bundle, bindings] of [
    ['wrangler/flux.toml', 'flux.js', ['env.AI']],
    ['wrangler/sdxl.toml', 'sdxl.js', ['env.AI']],
    ['wrangler/imagegen.toml', 'imagegen-worker.js', ['env.AI']],
    ['../http/wrangler/gateway.toml', 'worker.js', ['env.AI', 'env.IMAGES', 'env.IMAGEGEN_STATE']],
  ]) {
    const dir = join(out, bundle);
    const log = execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', dir, '--config', config], {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      encoding: 'utf8',
    });
    const missing = bindings.filter((binding) => !log.includes(binding));
    if (missing.length > 0 || statSync(join(dir, bundle)).size === 0)
      throw new Error(`wrangler did not build ${config} (${missing.join(', ')}):\n${log}`);
    console.log(`check:deploy: wrangler built ${config} (${statSync(join(dir, bundle)).size} bytes; ${bindings.join(', ')})`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
