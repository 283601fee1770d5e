import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
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
  it('serves what it wrote, was told of, or another process wrote, until the maximum age; the sweep deletes only its own', async () => {
    let now = 1_000_000;
    const storage = new LocalImageStorage(dir, 60_000, () => now);
    const path = await storage.store.write('image_flux_0a1b2c3d_1.png', new TextEncoder().encode('png bytes'));
    expect(path).toBe(join(dir, 'image_flux_0a1b2c3d_1.png'));
    // Another gateway sharing the directory wrote this one 10 s ago (by the file's own time).
    await writeFile(join(dir, 'image_flux_ffffffff_1.png'), 'another gateway wrote it');
    await utimes(join(dir, 'image_flux_ffffffff_1.png'), (now - 10_000) / 1000, (now - 10_000) / 1000);
    await writeFile(join(dir, 'image_sdxl_eeeeeeee_1.jpg'), 'a queue worker wrote it');
    storage.remember('image_sdxl_eeeeeeee_1.jpg');
    await writeFile(join(dir, 'notes.txt'), 'not an image of imagegen');
    const opened = await storage.open('image_flux_0a1b2c3d_1.png');
    expect(opened).toMatchObject({ contentType: 'image/png', size: 9 });
    await opened?.body.cancel();
    expect(await storage.open('image_sdxl_eeeeeeee_1.jpg')).toMatchObject({ contentType: 'image/jpeg' });
    const shared = await storage.open('image_flux_ffffffff_1.png');
    expect(shared).toMatchObject({ contentType: 'image/png', size: 24 });
    await shared?.body.cancel();
    expect(await storage.open('notes.txt')).toBeUndefined();
    expect(await storage.open('../notes.txt')).toBeUndefined();

    now += 50_001;
    // The other process's image is 60,001 ms old by its file: no longer served, but not swept here.
    expect(await storage.open('image_flux_ffffffff_1.png')).toBeUndefined();
    expect(await storage.sweep()).toBe(0);
    now += 10_000;
    expect(await storage.open('image_flux_0a1b2c3d_1.png')).toBeUndefined();
    expect(await storage.sweep()).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['image_flux_ffffffff_1.png', 'notes.txt']);
  });

  it('forgets an image whose file is gone', async () => {
    const storage = new LocalImageStorage(dir, 60_000);
    storage.remember('image_sdxl_00000000_1.png');
    expect(await storage.open('image_sdxl_00000000_1.png')).toBeUndefined();
    expect(storage.size).toBe(0);
  });
});
