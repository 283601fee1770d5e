import { fileURLToPath } from 'node:url';
import { catalogue } from '@imagegen/core';
import { createLocalAi } from '@imagegen/workers';
import { AI_BINDING_SCRIPT, bundleForWorkerd } from '@imagegen/testkit';
import type { Metafile } from 'esbuild';
import { Miniflare } from 'miniflare';
import OpenAI, { APIError, toFile } from 'openai';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The gateway deployed as a Worker, inside workerd (miniflare): the built `@imagegen/http/worker`
// bundled for a browser-like platform, with a local R2 bucket, the ImagegenState Durable Object
// and an AI binding that answers as Workers AI does (createLocalAi: every model in its own answer
// shape, FLUX.2 multipart), plus scripted failures by prompt. Driven by the official openai client.
const httpDir = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'worker-gateway-key-0123';
const BUDGET_KEY = 'worker-budget-key-0123456';
const ADMIN_KEY = 'worker-admin-key-0123456';

const localAi = createLocalAi();
const aiCalls: string[] = [];
const failures = new Map<string, string[]>();
// In Node, behind a service binding: counts every run, and fails as scripted for a prompt.
async function aiService(request: Request): Promise<Response> {
  const type = request.headers.get('content-type') ?? '';
  const probe = type.startsWith('multipart/') ? '' : await request.clone().text();
  const scripted = [...failures.keys()].find((prompt) => probe.includes(prompt));
  aiCalls.push(scripted ?? 'run');
  const next = scripted ? failures.get(scripted)!.shift() : undefined;
  if (next) return new Response(next, { status: 500 });
  return localAi.fetch(request);
}

// The library inside a Worker: one image through the binding, saved to R2.
const libraryWorker = `
import { ImageGenerator, loadSettings } from '@imagegen/core';
import { R2ImageStorage } from '@imagegen/http/worker';
export default {
  async fetch(request, env) {
    const storage = new R2ImageStorage(env.IMAGES, 3600000);
    const generator = new ImageGenerator({ settings: loadSettings({}), ai: env.AI, store: storage.store });
    return Response.json(await generator.generate('flux-2-dev', 'a whale', { width: 512, height: 384 }));
  },
};`;

const bundle = (contents: string) => bundleForWorkerd(contents, httpDir);

let mf: Miniflare;
let url: URL;
let gatewayBundle: Metafile;
// miniflare's handles, typed by what the tests call (no @cloudflare/workers-types here).
type WorkerHandle = { fetch(input: string, init?: RequestInit): Promise<Response> };
type BucketHandle = { head(key: string): Promise<unknown>; get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null> };
const worker = async (name: string) => (await mf.getWorker(name)) as unknown as WorkerHandle;
const bucket = async (name: string) => (await mf.getR2Bucket('IMAGES', name)) as unknown as BucketHandle;
const client = () => new OpenAI({ baseURL: `${url.origin}/v1`, apiKey: KEY, maxRetries: 0 });

beforeAll(async () => {
  const gateway = await bundle(`export { default, ImagegenState } from '@imagegen/http/worker';`);
  gatewayBundle = gateway.metafile;
  const library = await bundle(libraryWorker);
  const ai = { AI: { scriptName: 'local-ai' } };
  const gatewayWorker = (name: string, bindings: Record<string, string>) => ({
    name,
    modules: true,
    script: gateway.text,
    compatibilityDate: '2025-01-01',
    r2Buckets: ['IMAGES'],
    durableObjects: { IMAGEGEN_STATE: 'ImagegenState' },
    bindings,
    wrappedBindings: ai,
  });
  mf = new Miniflare({
    workers: [
      gatewayWorker('gateway', { IMAGEGEN_GATEWAY_KEYS: KEY, IMAGEGEN_RATE_LIMIT_BURST: '1000', IMAGEGEN_RATE_LIMIT_PER_SECOND: '100' }),
      // The same Worker with a tight limit: 2 at once, refilled once in ~17 minutes.
      gatewayWorker('limited', { IMAGEGEN_GATEWAY_KEYS: KEY, IMAGEGEN_RATE_LIMIT_BURST: '2', IMAGEGEN_RATE_LIMIT_PER_SECOND: '0.001' }),
      gatewayWorker('keyless', {}),
      // Named keys with a budget (the JSON of IMAGEGEN_KEYS_FILE as a secret): spend in the Durable Object's storage.
      gatewayWorker('budgeted', {
        IMAGEGEN_KEYS: JSON.stringify([
          { name: 'web-app', key: BUDGET_KEY, maxBudget: 0.002, budgetDuration: '1d' },
          { name: 'ops', key: ADMIN_KEY, admin: true },
        ]),
      }),
      { name: 'library', modules: true, script: library.text, compatibilityDate: '2025-01-01', r2Buckets: ['IMAGES'], wrappedBindings: ai },
      {
        name: 'local-ai',
        modules: true,
        script: AI_BINDING_SCRIPT,
        serviceBindings: { RENDER: async (request: unknown) => (await aiService(request as Request)) as never },
      },
    ],
  });
  url = await mf.ready;
}, 120_000);
afterAll(() => mf?.dispose());

describe('the gateway as a Worker (workerd, R2, a Durable Object, the AI binding)', () => {
  it('IMAGEGEN_KEYS budgets hold in the Durable Object: 3 flux images fit $0.002, a 4th is insufficient_quota; /v1/usage for the admin key', async () => {
    const budgeted = await worker('budgeted');
    const post = (key: string) =>
      budgeted.fetch('http://gateway/v1/images/generations', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'a fox', model: 'flux', response_format: 'b64_json' }),
      });
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await post(BUDGET_KEY)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const usage = await budgeted.fetch('http://gateway/v1/usage', { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const report = (await usage.json()) as { keys: Array<{ name: string; images: number; usd: number }> };
    expect(report.keys.find((key) => key.name === 'web-app')).toMatchObject({ images: 3 });
    expect((await budgeted.fetch('http://gateway/v1/usage', { headers: { authorization: `Bearer ${BUDGET_KEY}` } })).status).toBe(403);
  });

  it('bundles with no Node-only module', () => {
    expect(Object.keys(gatewayBundle.inputs).filter((path) => path.startsWith('node:'))).toEqual([]);
  });

  it.each(catalogue.filter((model) => !model.imageInput?.required).map((model) => [model.alias] as const))(
    '%s answers an image with its defaults (b64_json)',
    async (alias) => {
      const response = await client().images.generate({ model: alias, prompt: `a fox by ${alias}`, response_format: 'b64_json' });
      const meta = await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata();
      expect(['png', 'jpeg']).toContain(meta.format);
    },
  );

  it('a url image is served back from R2 with its content type', async () => {
    const response = await client().images.generate({ model: 'sdxl-lightning', prompt: 'a lighthouse', size: '256x256' });
    const link = response.data![0]!.url!;
    expect(link.startsWith(`${url.origin}/v1/images/`)).toBe(true);
    const image = await fetch(link);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).width).toBe(256);
    const name = link.slice(link.lastIndexOf('/') + 1);
    expect(await (await bucket('gateway')).head(name)).not.toBeNull();
  });

  it('sd15-img2img (needs an input image) answers by edits', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'green' } })
      .png()
      .toBuffer();
    const response = await client().images.edit({
      model: 'sd15-img2img',
      prompt: 'a forest',
      image: await toFile(png, 'start.png', { type: 'image/png' }),
      response_format: 'b64_json',
    });
    expect((await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata()).format).toBe('png');
  });

  it('edits with a mask (sd15-inpainting)', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } })
      .png()
      .toBuffer();
    const response = await client().images.edit({
      model: 'sd15-inpainting',
      prompt: 'a red door',
      image: await toFile(png, 'start.png', { type: 'image/png' }),
      mask: await toFile(png, 'mask.png', { type: 'image/png' }),
      response_format: 'b64_json',
      size: '256x256',
    });
    expect((await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata()).width).toBe(256);
  });

  it('one Idempotency-Key sent twice at once makes one AI call, and both get the same answer', async () => {
    const before = aiCalls.length;
    const send = () =>
      fetch(`${url.origin}/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': 'same-key-1' },
        body: JSON.stringify({ model: 'flux', prompt: 'only once', response_format: 'b64_json' }),
      });
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await first.text()).toBe(await second.text());
    expect(aiCalls.length - before).toBe(1);
  });

  it('a 3040 from the binding is retried; a 3036 is final and OpenAI-shaped (429 insufficient_quota)', async () => {
    failures.set('busy once', ['3040: Capacity temporarily exceeded, please try again.']);
    const retried = await client().images.generate({ model: 'flux', prompt: 'busy once', response_format: 'b64_json' });
    expect(retried.data?.[0]?.b64_json).toBeTruthy();
    expect(aiCalls.filter((call) => call === 'busy once')).toHaveLength(2);
    failures.set('spent', ['AiError: 3036: You have used up your daily free allocation of 10,000 neurons']);
    const spent = await client()
      .images.generate({ model: 'flux', prompt: 'spent' })
      .catch((error: unknown) => error);
    expect(spent).toBeInstanceOf(APIError);
    expect([(spent as APIError).status, (spent as APIError).code]).toEqual([429, 'insufficient_quota']);
    expect(aiCalls.filter((call) => call === 'spent')).toHaveLength(1);
  });

  it.each([
    [5035, 429, 'insufficient_quota', /Workers Paid plan/],
    [5007, 400, 'upstream_bad_request', /No such model/],
    [3042, 400, 'upstream_bad_request', /No such model/],
    [5004, 400, 'upstream_bad_request', /wrong type of data/],
    [3003, 400, 'upstream_bad_request', /incomplete/],
    [3039, 400, 'upstream_bad_request', /finetune/],
    [3006, 400, 'upstream_bad_request', /send smaller input images/],
    [5005, 400, 'upstream_bad_request', /LoRA/],
    [5019, 400, 'upstream_bad_request', /deprecated SDK/],
    [5016, 502, 'upstream_unauthorized', /model agreement/],
    [5018, 502, 'upstream_unauthorized', /the API token is not the cause/],
    [3041, 502, 'upstream_unauthorized', /the API token is not the cause/],
    [3023, 502, 'upstream_unauthorized', /account is blocked/],
  ])('Workers AI %i thrown by the binding is %i %s, naming the cause, in one AI call', async (code, status, openAiCode, words) => {
    const prompt = `fails with ${code}`;
    failures.set(prompt, [`${code}: what Cloudflare said`]);
    const failed = await client()
      .images.generate({ model: 'lucid-origin', prompt })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(APIError);
    expect([(failed as APIError).status, (failed as APIError).code]).toEqual([status, openAiCode]);
    expect((failed as APIError).message).toMatch(words);
    expect((failed as APIError).message).toContain('what Cloudflare said');
    expect(aiCalls.filter((call) => call === prompt)).toHaveLength(1);
  });

  it('a per-key limit holds across requests at once (the bucket lives in the Durable Object)', async () => {
    const limited = await worker('limited');
    const send = (index: number) =>
      limited.fetch('http://gateway.test/v1/images/generations', {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'flux', prompt: `limit ${index}`, response_format: 'b64_json' }),
      });
    const statuses = (await Promise.all([1, 2, 3].map(send))).map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('a wrong key is 401; a gateway deployed without keys serves nothing but /healthz and says how to set them', async () => {
    const wrong = await fetch(`${url.origin}/v1/models`, { headers: { authorization: 'Bearer not-the-key' } });
    expect(wrong.status).toBe(401);
    const keyless = await worker('keyless');
    const refused = await keyless.fetch('http://gateway.test/v1/models');
    expect(refused.status).toBe(503);
    expect((await keyless.fetch('http://gateway.test/openapi.json')).status).toBe(503);
    expect(await refused.text()).toContain('wrangler secret put IMAGEGEN_GATEWAY_KEYS');
    expect((await keyless.fetch('http://gateway.test/healthz')).status).toBe(200);
  });

  it('stream: true answers text/event-stream with the completed image', async () => {
    const response = await fetch(`${url.origin}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'flux', prompt: 'a streamed fox', stream: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).toContain('image_generation.completed');
    expect(text).toMatch(/"b64_json":"[A-Za-z0-9+/]{100,}/);
  });

  it('a body over the limit is 413, before any AI call', async () => {
    const before = aiCalls.length;
    const response = await fetch(`${url.origin}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'flux', prompt: 'x'.repeat(70 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(aiCalls.length).toBe(before);
  });

  it('readyz is 200 on the binding and R2; openapi.json and the model list answer', async () => {
    const ready = await fetch(`${url.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${url.origin}/openapi.json`)).status).toBe(200);
    const models = await client().models.list();
    expect(models.data.map((model) => model.id)).toContain('openai/gpt-image-2');
  });

  it('asynchronous jobs answer 501 here', async () => {
    const response = await fetch(`${url.origin}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', prefer: 'respond-async' },
      body: JSON.stringify({ prompt: 'later' }),
    });
    expect(response.status).toBe(501);
  });

  it('the library inside a Worker: flux-2-dev through the binding, saved to R2 with its seed', async () => {
    const library = await worker('library');
    const result = (await (await library.fetch('http://library.test/')).json()) as {
      ok: boolean;
      path: string;
      seed: number;
      route: string;
    };
    expect(result).toMatchObject({ ok: true, route: 'binding' });
    expect(typeof result.seed).toBe('number');
    const stored = await (await bucket('library')).get(result.path.replace('r2://', ''));
    expect((await sharp(Buffer.from(await stored!.arrayBuffer())).metadata()).width).toBe(512);
  });
});
