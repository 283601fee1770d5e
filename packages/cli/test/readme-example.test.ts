import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packageDir = fileURLToPath(new URL('../', import.meta.url));

/** The README's program blocks (`<!-- readme: run FILE.mjs -->`), by file name. */
async function programs(): Promise<Map<string, string>> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const found = readme.matchAll(/<!-- readme: run (\S+\.mjs) -->\s*```js\n([\s\S]*?)```/g);
  return new Map([...found].map((match) => [match[1]!, match[2]!]));
}

/** Runs one README program the way a user would, in a scratch directory of this package (so its imports resolve). */
async function runProgram(code: string, prepare?: (dir: string) => Promise<void>): Promise<string> {
  const scratch = await mkdtemp(join(packageDir, '.readme-'));
  try {
    await prepare?.(scratch);
    const script = join(scratch, 'program.mjs');
    await writeFile(script, code);
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '', IMAGEGEN_LOG_LEVEL: 'silent' },
    });
    return stdout;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// pnpm check:packages runs every block of the README in a project that installs the packed
// tarballs; these run the two programs here too, on every pnpm test.
describe('the README', () => {
  it('library example runs as written and saves an image', async () => {
    const example = (await programs()).get('example.mjs');
    expect(example).toBeDefined();
    const [path, contentType, attempts] = (await runProgram(example!)).trim().split(' ');
    expect(path).toMatch(/image_flux_[0-9a-f]{8}_\d+\.jpg$/);
    expect([contentType, attempts]).toEqual(['image/jpeg', '1']);
  });

  it('FLUX.2 edit example runs offline as written: a WebP from two reference images', async () => {
    const edit = (await programs()).get('edit.mjs');
    expect(edit).toBeDefined();
    const stdout = await runProgram(edit!, async (dir) => {
      await sharp({ create: { width: 640, height: 480, channels: 3, background: 'orange' } })
        .jpeg()
        .toFile(join(dir, 'cat.jpg'));
      await sharp({ create: { width: 300, height: 200, channels: 3, background: 'teal' } })
        .png()
        .toFile(join(dir, 'sofa.png'));
    });
    const [path, contentType] = stdout.trim().split(' ');
    expect(path).toMatch(/image_flux-2-dev_[0-9a-f]{8}_\d+\.webp$/);
    expect(contentType).toBe('image/webp');
  });
});
