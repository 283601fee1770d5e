import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packageDir = fileURLToPath(new URL('../', import.meta.url));

describe('the README', () => {
  it('library example runs as written and saves an image', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const example = /<!-- readme-example -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    // Written inside this package so that its imports resolve like a user's would; run in a scratch cwd.
    const scratch = await mkdtemp(join(packageDir, '.readme-'));
    try {
      const script = join(scratch, 'example.mjs');
      await writeFile(script, example!);
      const { stdout } = await promisify(execFile)(process.execPath, [script], {
        cwd: scratch,
        env: { PATH: process.env.PATH ?? '', IMAGEGEN_LOG_LEVEL: 'silent' },
      });
      const [path, contentType, attempts] = stdout.trim().split(' ');
      expect(path).toMatch(/image_flux_[0-9a-f]{8}_\d+\.jpg$/);
      expect([contentType, attempts]).toEqual(['image/jpeg', '1']);
      expect((await readFile(path!)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
