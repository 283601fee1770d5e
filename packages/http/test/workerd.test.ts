import { fileURLToPath } from 'node:url';
import { bundleForWorkerd, TINY_PNG } from '@imagegen/testkit';
import type { Metafile } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The proof that the gateway embeds anywhere `app.fetch` runs: the built `@imagegen/http/app`
// entry, bundled for a browser-like platform (a `node:*` import would not even resolve), runs
// inside workerd with an injected generator whose fetch answers a PNG.
const httpDir = fileURLToPath(new URL('..', import.meta.url));
const worker = `
import { createGatewayApp, createInProcessQueue, InMemoryJobStore } from '@imagegen/http/app';
import { ImageGenerator, loadSettings, MemoryStore } from '@imagegen/core';

const png = Uint8Array.from(atob('${TINY_PNG.toString('base64')}'), (char) => char.charCodeAt(0));
const upstream = async () => new Response(png, { headers: { 'content-type': 'image/png' } });
const generator = new ImageGenerator({ settings: loadSettings({ FLUX_WORKER_URL: 'https://flux.example.workers.dev/' }), fetch: upstream, store: new MemoryStore() });
const storage = {
  kind: 'memory',
  store: new MemoryStore(),
  remember() {},
  open: async () => undefined,
  discard: async () => {},
  sweep: async () => 0,
  ready: async () => true,
  close: async () => {},
};
const queue = createInProcessQueue({ generator, storage, concurrency: 2, maxWaiting: 8 });
const logger = { info() {}, warn() {}, error() {} };
const { app } = createGatewayApp({ generator, queue, storage, jobs: new InMemoryJobStore(60_000), logger, keys: ['edge-key'], maxWaiting: 8 });
export default { fetch: (request) => app.fetch(request) };
`;

let mf: Miniflare;
let metafile: Metafile;

beforeAll(async () => {
  const bundle = await bundleForWorkerd(worker, httpDir);
  metafile = bundle.metafile;
  mf = new Miniflare({ modules: true, script: bundle.text, compatibilityDate: '2025-01-01' });
  await mf.ready;
}, 60_000);
afterAll(() => mf?.dispose());

describe('createGatewayApp inside workerd (miniflare)', () => {
  it('answers a b64_json generation in OpenAI shape, behind its key', async () => {
    const post = (authorization: string) =>
      mf.dispatchFetch('http://gateway.test/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ prompt: 'a red fox at the edge', response_format: 'b64_json' }),
      });
    const refused = await post('Bearer wrong-key');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');

    const response = await post('Bearer edge-key');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { created: number; data: Array<{ b64_json: string }> };
    expect(Buffer.from(body.data[0]!.b64_json, 'base64')).toEqual(TINY_PNG);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('bad input and unknown routes answer in OpenAI shape there too', async () => {
    const bad = await mf.dispatchFetch('http://gateway.test/v1/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer edge-key' },
      body: JSON.stringify({ prompt: '   ' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('prompt');
    // Fails closed: an unknown route is 401 without a key, 404 with one.
    expect((await mf.dispatchFetch('http://gateway.test/nowhere')).status).toBe(401);
    expect((await mf.dispatchFetch('http://gateway.test/nowhere', { headers: { authorization: 'Bearer edge-key' } })).status).toBe(404);
  });

  it('pulls in no Node-only dependency: no ioredis, BullMQ, AWS SDK, pino or prom-client', () => {
    const inputs = Object.keys(metafile.inputs).join('\n');
    expect(inputs).toContain('hono');
    for (const name of ['ioredis', 'bullmq', '@aws-sdk', 'pino', 'prom-client', 'undici']) expect(inputs).not.toContain(name);
  });
});
