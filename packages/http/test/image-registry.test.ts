import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageRegistry } from '../src/image-registry.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-registry-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ImageRegistry', () => {
  it('serves only what was added, until the maximum age; the sweep deletes old files', async () => {
    let now = 1_000;
    const registry = new ImageRegistry(60_000, () => now);
    const path = join(dir, 'image_flux_0a1b2c3d_1.png');
    await writeFile(path, 'png bytes');
    await writeFile(join(dir, 'image_flux_ffffffff_1.png'), 'not registered');
    const name = registry.add(path, 'image/png');
    expect(name).toBe('image_flux_0a1b2c3d_1.png');
    const opened = await registry.open(name);
    expect(opened).toMatchObject({ contentType: 'image/png', size: 9 });
    await opened?.body.cancel();
    expect(await registry.open('image_flux_ffffffff_1.png')).toBeUndefined();

    now += 30_000;
    expect(await registry.sweep()).toBe(0);
    now += 30_001;
    expect(await registry.open(name)).toBeUndefined();
    expect(await registry.sweep()).toBe(1);
    expect(await readdir(dir)).toEqual(['image_flux_ffffffff_1.png']);
  });

  it('forgets an image whose file is gone', async () => {
    const registry = new ImageRegistry(60_000);
    const name = registry.add(join(dir, 'image_sdxl_00000000_1.png'), 'image/png');
    expect(await registry.open(name)).toBeUndefined();
    expect(registry.size).toBe(0);
  });
});
