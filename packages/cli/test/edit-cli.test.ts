import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useScratchDir } from '@imagegen/testkit/vitest';
import sharp, { type Color } from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// No setting at all: the CLI starts the local preview workers itself.
const scratch = useScratchDir('imagegen-cli-edit-');

/** Writes a PNG of one colour in the scratch directory and returns its path. */
async function solid(name: string, width: number, height: number, background: Color): Promise<string> {
  const path = join(scratch.path, name);
  await writeFile(
    path,
    await sharp({ create: { width, height, channels: 3, background } })
      .png()
      .toBuffer(),
  );
  return path;
}

describe('imagegen edit', () => {
  it('works offline from an input image: the local preview visibly starts from it', async () => {
    const red = await solid('red.png', 320, 256, { r: 230, g: 20, b: 20 });
    const run = await runCli(['edit', red, 'a fox in the snow', '--strength', '0.1', '--json'], { cwd: scratch.path });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { model: string; route: string; path: string };
    expect(result).toMatchObject({ model: 'sd15-img2img', route: 'local' });
    const image = sharp(await readFile(result.path));
    expect(await image.metadata()).toMatchObject({ format: 'png', width: 512, height: 512 });
    const [r, g, b] = (await image.stats()).channels.map((channel) => channel.mean);
    expect(r! - Math.max(g!, b!)).toBeGreaterThan(60);
  });

  it('refuses a missing file, a mask of another size and a model that takes no image (exit 2), before any request', async () => {
    const red = await solid('red.png', 64, 64, 'red');
    const mask = await solid('mask.png', 32, 32, 'white');
    const missing = await runCli(['edit', join(scratch.path, 'nope.png'), 'a fox'], { cwd: scratch.path });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('cannot read the image')]);
    const wrongMask = await runCli(['edit', red, 'a fox', '--model', 'sd15-inpainting', '--mask', mask], { cwd: scratch.path });
    expect(wrongMask.code).toBe(2);
    expect(wrongMask.stderr).toContain('mask is 32x32 but the image is 64x64');
    const flux = await runCli(['edit', red, 'a fox', '--model', 'flux'], { cwd: scratch.path });
    expect(flux.code).toBe(2);
    expect(flux.stderr).toContain('flux takes no input image');
  });
});

describe('imagegen edit with FLUX.2 references and --format', () => {
  it('sends every --image (a large one shrunk), writes the format asked for, and refuses a bad --format / --quality', async () => {
    const [red, blue] = [await solid('ref-red.png', 1400, 1400, 'red'), await solid('ref-blue.png', 64, 64, 'blue')];
    const run = await runCli(
      [
        'edit',
        red,
        'a fox',
        '--image',
        blue,
        '--model',
        'flux-2-klein-4b',
        '--width',
        '256',
        '--height',
        '256',
        '--format',
        'webp',
        '--quality',
        '70',
        '--json',
      ],
      { cwd: scratch.path },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { path: string; contentType: string };
    expect(result.path.endsWith('.webp')).toBe(true);
    expect(result.contentType).toBe('image/webp');
    expect(await sharp(await readFile(result.path)).metadata()).toMatchObject({ format: 'webp', width: 256, height: 256 });
    const format = await runCli(['generate', 'a fox', '--format', 'gif'], { cwd: scratch.path });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("'gif' is invalid");
    const quality = await runCli(['generate', 'a fox', '--format', 'png', '--quality', '50'], { cwd: scratch.path });
    expect(quality.code).toBe(2);
    expect(quality.stderr).toContain('--quality applies to --format jpeg or webp, not png');
    const alone = await runCli(['generate', 'a fox', '--quality', '50'], { cwd: scratch.path });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--quality needs --format jpeg or webp');
    const five = await runCli(['edit', red, 'a fox', '--model', 'flux-2-dev', ...[1, 2, 3, 4].flatMap(() => ['--image', blue])], {
      cwd: scratch.path,
    });
    expect(five.code).toBe(2);
    expect(five.stderr).toContain('flux-2-dev takes at most 4 input images (5 were given)');
  });
});
