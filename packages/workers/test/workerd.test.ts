import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_BINDING_SCRIPT } from '@imagegen/testkit';
import { createLocalAi } from '../src/index.js';

// The built worker modules (what wrangler deploys) run inside workerd; their AI binding is a
// wrapped binding that calls createLocalAi() in Node through a service binding.
const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));

let mf: Miniflare;
const localAi = createLocalAi();

beforeAll(async () => {
  mf = new Miniflare({
    workers: [
      {
        name: 'flux',
        modules: true,
        scriptPath: dist('flux'),
        compatibilityDate: '2025-01-01',
        wrappedBindings: { AI: { scriptName: 'local-ai' } },
      },
      {
        name: 'sdxl',
        modules: true,
        scriptPath: dist('sdxl'),
        compatibilityDate: '2025-01-01',
        bindings: { API_KEY: 'workerd-key' },
        wrappedBindings: { AI: { scriptName: 'local-ai' } },
      },
      {
        name: 'imagegen',
        modules: true,
        scriptPath: dist('imagegen-worker'),
        compatibilityDate: '2025-01-01',
        bindings: { API_KEY: 'generic-key' },
        wrappedBindings: { AI: { scriptName: 'local-ai' } },
      },
      {
        name: 'local-ai',
        modules: true,
        script: AI_BINDING_SCRIPT,
        serviceBindings: { RENDER: async (request: unknown) => (await localAi.fetch(request as Request)) as never },
      },
    ],
  });
  await mf.ready;
}, 60_000);
afterAll(() => mf?.dispose());

type Fetcher = { fetch(url: string, init?: RequestInit): Promise<Response> };
const worker = async (name: string) => (await mf.getWorker(name)) as unknown as Fetcher;

describe('the worker modules inside workerd (miniflare)', () => {
  it('flux answers a JPEG preview for GET ?prompt=', async () => {
    const response = await (await worker('flux')).fetch('http://flux.local/?prompt=a%20red%20fox&steps=4');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1024, height: 1024 });
  });

  it('flux refuses a bad step count with 400 and POST with 405', async () => {
    const flux = await worker('flux');
    const bad = await flux.fetch('http://flux.local/?prompt=cat&steps=99');
    expect([bad.status, (await bad.text()).trim()]).toEqual([400, 'steps must be an integer from 1 to 8']);
    const post = await flux.fetch('http://flux.local/?prompt=cat', { method: 'POST' });
    expect(post.status).toBe(405);
    await post.text();
  });

  it('sdxl streams a PNG of the asked size with the right key, 401 without', async () => {
    const sdxl = await worker('sdxl');
    const ok = await sdxl.fetch('http://sdxl.local/', {
      method: 'POST',
      headers: { authorization: 'Bearer workerd-key', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a lighthouse', width: 640, height: 320 }),
    });
    expect(ok.status).toBe(200);
    expect(await sharp(Buffer.from(await ok.arrayBuffer())).metadata()).toMatchObject({ format: 'png', width: 640, height: 320 });
    const denied = await sdxl.fetch('http://sdxl.local/', { method: 'POST', body: '{"prompt":"x"}' });
    expect(denied.status).toBe(401);
    await denied.text();
  });

  it('the generic worker runs any catalogue model by alias or id, JSON or multipart, and says the seed', async () => {
    const generic = await worker('imagegen');
    const run = (body: unknown, key = 'generic-key') =>
      generic.fetch('http://imagegen.local/', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const lucid = await run({ model: 'lucid-origin', prompt: 'a red fox', width: 320, height: 256, num_steps: 10 });
    expect(lucid.status).toBe(200);
    expect(lucid.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(lucid.headers.get('x-imagegen-seed'))).toBeGreaterThanOrEqual(0);
    expect(await sharp(Buffer.from(await lucid.arrayBuffer())).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 256 });
    const klein = await run({ model: '@cf/black-forest-labs/flux-2-klein-4b', prompt: 'a whale', width: 256, height: 320 });
    expect(klein.status).toBe(200);
    expect(await sharp(Buffer.from(await klein.arrayBuffer())).metadata()).toMatchObject({ format: 'png', width: 256, height: 320 });
    // FLUX.2 reference images as base64 JSON fields: the worker sends them on as file parts.
    const blue = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 20, g: 20, b: 230 } } })
      .png()
      .toBuffer();
    const blueness = async (extra: Record<string, string>) => {
      const answer = await run({ model: 'flux-2-dev', prompt: 'a whale', width: 256, height: 256, seed: 9, ...extra });
      expect(answer.status).toBe(200);
      const [r, , b] = (await sharp(Buffer.from(await answer.arrayBuffer())).stats()).channels.map((channel) => channel.mean);
      return b! - r!;
    };
    expect(await blueness({ input_image_0: blue.toString('base64') })).toBeGreaterThan((await blueness({})) + 20);
    const phoenix = await run({ model: 'phoenix', prompt: 'a crab', width: 256, height: 256, seed: 3 });
    expect([phoenix.status, phoenix.headers.get('content-type'), phoenix.headers.get('x-imagegen-seed')]).toEqual([200, 'image/jpeg', '3']);
    await phoenix.arrayBuffer();
  });

  it('the generic worker refuses what the catalogue refuses (400), a wrong key (401), GET (405)', async () => {
    const generic = await worker('imagegen');
    const post = (body: unknown, key = 'generic-key') =>
      generic.fetch('http://imagegen.local/', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    const unknown = await post({ model: '@cf/meta/llama-3-8b', prompt: 'x' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Unknown model');
    const range = await post({ model: 'sdxl', prompt: 'x', width: 5000 });
    expect([range.status, (await range.text()).trim()]).toEqual([400, 'width must be an integer from 256 to 2048 for sdxl']);
    const foreign = await post({ model: 'lucid-origin', prompt: 'x', negative_prompt: 'blur' });
    expect([foreign.status, (await foreign.text()).trim()]).toEqual([400, '@cf/leonardo/lucid-origin does not take negative_prompt']);
    const denied = await post({ model: 'flux', prompt: 'x' }, 'wrong');
    expect(denied.status).toBe(401);
    await denied.text();
    const get = await generic.fetch('http://imagegen.local/');
    expect(get.status).toBe(405);
    await get.text();
  });
});
