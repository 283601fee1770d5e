import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalImageStorage } from '../src/storage/local-image-storage.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-storage-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('LocalImageStorage', () => {
  it('serves only what it wrote or was told of, until the maximum age; the sweep deletes old files', async () => {
    let now = 1_000;
    const storage = new LocalImageStorage(dir, 60_000, () => now);
    const path = await storage.store.write('image_flux_0a1b2c3d_1.png', new TextEncoder().encode('png bytes'));
    expect(path).toBe(join(dir, 'image_flux_0a1b2c3d_1.png'));
    await writeFile(join(dir, 'image_flux_ffffffff_1.png'), 'not registered');
    await writeFile(join(dir, 'image_sdxl_eeeeeeee_1.jpg'), 'a queue worker wrote it');
    storage.remember('image_sdxl_eeeeeeee_1.jpg');
    const opened = await storage.open('image_flux_0a1b2c3d_1.png');
    expect(opened).toMatchObject({ contentType: 'image/png', size: 9 });
    await opened?.body.cancel();
    expect(await storage.open('image_sdxl_eeeeeeee_1.jpg')).toMatchObject({ contentType: 'image/jpeg' });
    expect(await storage.open('image_flux_ffffffff_1.png')).toBeUndefined();

    now += 30_000;
    expect(await storage.sweep()).toBe(0);
    now += 30_001;
    expect(await storage.open('image_flux_0a1b2c3d_1.png')).toBeUndefined();
    expect(await storage.sweep()).toBe(2);
    expect(await readdir(dir)).toEqual(['image_flux_ffffffff_1.png']);
  });

  it('forgets an image whose file is gone', async () => {
    const storage = new LocalImageStorage(dir, 60_000);
    storage.remember('image_sdxl_00000000_1.png');
    expect(await storage.open('image_sdxl_00000000_1.png')).toBeUndefined();
    expect(storage.size).toBe(0);
  });
});
