import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// `imagegen deploy` runs the project's own wrangler (never a downloaded one), which needs Node
// >= 22.12: CI runs this file on Node 20 and 24, and each checks what that Node must do.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const wranglerRuns = major > 22 || (major === 22 && minor >= 12);
// A project with wrangler installed: this repository's workers package.
const withWrangler = fileURLToPath(new URL('../../workers', import.meta.url));
// Only node's own directory on the PATH: no wrangler there.
const bareEnv = { PATH: dirname(process.execPath) };

describe('imagegen deploy', () => {
  it('--dry-run builds the gateway Worker and lists its AI, IMAGES and IMAGEGEN_STATE bindings, sending nothing', async () => {
    const run = await runCli(['deploy', '--dry-run'], { cwd: withWrangler, env: bareEnv });
    if (!wranglerRuns) {
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('needs Node >= 22.12');
      return;
    }
    expect(run.code).toBe(0);
    for (const binding of ['env.AI', 'env.IMAGES (imagegen-images)', 'env.IMAGEGEN_STATE (ImagegenState)'])
      expect(run.stdout).toContain(binding);
    expect(run.stderr).toContain('nothing was sent');
  }, 120_000);

  it('without wrangler in the project it says how to add it, and downloads nothing', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'imagegen-deploy-'));
    try {
      const run = await runCli(['deploy', '--dry-run'], { cwd, env: bareEnv });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(
        wranglerRuns ? 'wrangler not found: add it to your project (npm install -D wrangler@4)' : 'needs Node >= 22.12',
      );
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
