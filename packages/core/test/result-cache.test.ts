import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePng } from '@imagegen/testkit';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/index.js';
import { DiskResultCache, resultCacheFromEnv } from '../src/node/index.js';
import { makeGenerator, useMsw } from './support/harness.js';

const server = useMsw();
const REST = 'https://api.cloudflare.com/client/v4/accounts/acc/ai/run/@cf/stabilityai/stable-diffusion-xl-base-1.0';
const settings = loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'cf-token-0123' });
let dir: string;
let calls: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-cache-'));
  calls = 0;
  // Each call answers a different image, so a cached answer is told apart from a new one.
  server.use(
    http.post(REST, () => {
      calls++;
      return new HttpResponse(makePng(4, 4, [calls * 20, 0, 0]), { headers: { 'content-type': 'image/png' } });
    }),
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let clock = 1_000_000_000;
const now = () => clock;
const cached = (maxBytes?: number) =>
  makeGenerator({ settings, resultCache: new DiskResultCache({ dir, now, ...(maxBytes ? { maxBytes } : {}) }) });

describe('the result cache', () => {
  it('a seeded call made before is answered from the cache: no upstream call, the same bytes, cached: true', async () => {
    const { generator, store } = cached();
    const first = await generator.generate('sdxl', 'a fox', { seed: 7 });
    const second = await generator.generate('sdxl', 'a fox', { seed: 7 });
    expect(calls).toBe(1);
    expect(first).toMatchObject({ ok: true, attempts: 1 });
    expect(first.ok && first.cached).toBeUndefined();
    expect(second).toMatchObject({ ok: true, cached: true, attempts: 0, seed: 7, route: 'rest', contentType: 'image/png' });
    if (!first.ok || !second.ok) return;
    expect(second.path).not.toBe(first.path);
    expect(store.files.get(second.path)).toEqual(store.files.get(first.path));
  });

  it('never caches a call without a seed; another prompt, seed or output is another image; cache: false skips it', async () => {
    const { generator } = cached();
    await generator.generate('sdxl', 'a fox');
    await generator.generate('sdxl', 'a fox');
    expect(calls).toBe(2);
    await generator.generate('sdxl', 'a fox', { seed: 1 });
    await generator.generate('sdxl', 'a fox', { seed: 2 });
    await generator.generate('sdxl', 'a cat', { seed: 1 });
    await generator.generate('sdxl', 'a fox', { seed: 1, steps: 5 });
    expect(calls).toBe(6);
    await generator.generate('sdxl', 'a fox', { seed: 1, cache: false });
    expect(calls).toBe(7);
    await generator.generate('sdxl', 'a fox', { seed: 1 });
    expect(calls).toBe(7);
  });

  it('a corrupt or missing cache file is made again, not served', async () => {
    const { generator } = cached();
    await generator.generate('sdxl', 'a fox', { seed: 3 });
    const [file] = await readdir(dir);
    const data = await readFile(join(dir, file!));
    data[data.length - 5] = data[data.length - 5]! ^ 0xff;
    await writeFile(join(dir, file!), data);
    const again = await generator.generate('sdxl', 'a fox', { seed: 3 });
    expect(again.ok && again.cached).toBeUndefined();
    expect(calls).toBe(2);
    expect(await generator.generate('sdxl', 'a fox', { seed: 3 })).toMatchObject({ cached: true });
    await rm(join(dir, file!));
    expect((await generator.generate('sdxl', 'a fox', { seed: 3 })).ok).toBe(true);
    expect(calls).toBe(3);
  });

  it('a cache full to its bound evicts the least recently used image', async () => {
    const filling = cached();
    for (const seed of [1, 2]) {
      await filling.generator.generate('sdxl', 'a fox', { seed });
      clock += 1000;
    }
    // Bounded to what the two hold now: a third one makes room by evicting one.
    const sizes = await Promise.all((await readdir(dir)).map(async (name) => (await readFile(join(dir, name))).length));
    const bound = sizes[0]! + sizes[1]! + 4;
    const { generator } = makeGenerator({ settings, resultCache: new DiskResultCache({ dir, now, maxBytes: bound }) });
    // Seed 1 is used again: seed 2 becomes the least recently used.
    expect(await generator.generate('sdxl', 'a fox', { seed: 1 })).toMatchObject({ cached: true });
    clock += 1000;
    await generator.generate('sdxl', 'a fox', { seed: 3 });
    expect(await readdir(dir)).toHaveLength(2);
    expect(await generator.generate('sdxl', 'a fox', { seed: 1 })).toMatchObject({ cached: true });
    const evicted = await generator.generate('sdxl', 'a fox', { seed: 2 });
    expect(evicted.ok && evicted.cached).toBeUndefined();
    // A new cache over the same directory knows what it holds.
    const again = makeGenerator({ settings, resultCache: new DiskResultCache({ dir, now, maxBytes: bound }) });
    expect(await again.generator.generate('sdxl', 'a fox', { seed: 2 })).toMatchObject({ cached: true });
  });

  it('IMAGEGEN_CACHE_DIR turns it on, IMAGEGEN_CACHE_MAX_MB bounds it', () => {
    expect(resultCacheFromEnv({})).toBeUndefined();
    expect(resultCacheFromEnv({ IMAGEGEN_CACHE_DIR: dir })).toBeInstanceOf(DiskResultCache);
    expect(() => resultCacheFromEnv({ IMAGEGEN_CACHE_DIR: dir, IMAGEGEN_CACHE_MAX_MB: 'lots' })).toThrow(
      'IMAGEGEN_CACHE_MAX_MB must be a positive number',
    );
  });
});
