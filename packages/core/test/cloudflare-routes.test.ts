import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/index.js';
import { ACCOUNT, envelope, GATEWAY, REST, TOKEN } from './support/cloudflare.js';
import { JPEG_BYTES, makeGenerator, PNG_BYTES, useMsw } from './support/harness.js';

const server = useMsw();
const rest = (extra: Record<string, string> = {}) =>
  makeGenerator({
    settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_API_TOKEN: TOKEN, ...extra }),
    retry: { retries: 0 },
  });

describe('the Workers AI REST route', () => {
  it('JSON models: POST JSON with the Bearer token, the envelope decoded, a seed picked and returned', async () => {
    const seen: Array<{ auth: string | null; type: string | null; body: Record<string, unknown> }> = [];
    server.use(
      http.post(`${REST}/@cf/leonardo/lucid-origin`, async ({ request }) => {
        seen.push({
          auth: request.headers.get('authorization'),
          type: request.headers.get('content-type'),
          body: (await request.json()) as Record<string, unknown>,
        });
        return envelope(JPEG_BYTES);
      }),
    );
    const { generator, store } = rest();
    const result = await generator.generate('lucid-origin', 'a red fox', { steps: 12, guidance: 3.5, width: 640 });
    if (!result.ok) throw result.error;
    expect(result).toMatchObject({ route: 'rest', model: 'lucid-origin', contentType: 'image/jpeg' });
    expect(seen[0]).toEqual({
      auth: `Bearer ${TOKEN}`,
      type: 'application/json',
      body: { prompt: 'a red fox', num_steps: 12, guidance: 3.5, width: 640, seed: result.seed },
    });
    expect(Number.isInteger(result.seed)).toBe(true);
    expect(store.files.get(result.path)).toEqual(JPEG_BYTES);
  });

  it('binary models: the image bytes as they come (PNG for SDXL Lightning, JPEG for Phoenix)', async () => {
    server.use(
      http.post(
        `${REST}/@cf/bytedance/stable-diffusion-xl-lightning`,
        () => new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } }),
      ),
      http.post(`${REST}/@cf/leonardo/phoenix-1.0`, () => new HttpResponse(JPEG_BYTES, { headers: { 'content-type': 'image/jpeg' } })),
    );
    const { generator } = rest();
    expect(await generator.generate('sdxl-lightning', 'a cat', { seed: 5 })).toMatchObject({
      ok: true,
      contentType: 'image/png',
      seed: 5,
      route: 'rest',
    });
    expect(await generator.generate('@cf/leonardo/phoenix-1.0', 'a cat')).toMatchObject({
      ok: true,
      contentType: 'image/jpeg',
      model: 'phoenix',
    });
  });

  it('FLUX.2: a multipart body, each input a field, one boundary from the content type', async () => {
    let raw = '';
    let type = '';
    server.use(
      http.post(`${REST}/@cf/black-forest-labs/flux-2-dev`, async ({ request }) => {
        type = request.headers.get('content-type') ?? '';
        raw = await request.text();
        return envelope(PNG_BYTES);
      }),
    );
    const { generator } = rest();
    const result = await generator.generate('flux-2-dev', 'a sunset at the alps', { steps: 20, width: 1024, height: 768, seed: 9 });
    if (!result.ok) throw result.error;
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(type)?.[1];
    expect(boundary).toBeTruthy();
    const parts = raw.split(`--${boundary!}`).slice(1, -1);
    const fields: Record<string, string> = Object.fromEntries(
      parts.map((part): [string, string] => [/name="([^"]+)"/.exec(part)![1]!, part.split('\r\n\r\n')[1]!.replace(/\r\n$/, '')]),
    );
    expect(fields).toEqual({ prompt: 'a sunset at the alps', steps: '20', width: '1024', height: '768', seed: '9' });
    expect(raw.trimEnd().endsWith(`--${boundary!}--`)).toBe(true);
  });

  it('CLOUDFLARE_API_BASE_URL moves the route, trailing slash or not', async () => {
    server.use(
      http.post('http://127.0.0.1:9999/cf/client/v4/accounts/acc-0123/ai/run/@cf/black-forest-labs/flux-1-schnell', () =>
        envelope(JPEG_BYTES),
      ),
    );
    const { generator } = rest({ CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9999/cf/client/v4/' });
    expect(await generator.generate('flux', 'a cat')).toMatchObject({ ok: true, route: 'rest' });
  });
});

describe('the AI Gateway route', () => {
  it('goes through the gateway with the cache headers asked for and returns its cache status', async () => {
    const headers: Record<string, string | null>[] = [];
    server.use(
      http.post(`${GATEWAY}/@cf/black-forest-labs/flux-1-schnell`, ({ request }) => {
        headers.push({
          ttl: request.headers.get('cf-aig-cache-ttl'),
          skip: request.headers.get('cf-aig-skip-cache'),
          auth: request.headers.get('authorization'),
        });
        const response = envelope(JPEG_BYTES);
        response.headers.set('cf-aig-cache-status', headers.length === 1 ? 'MISS' : 'HIT');
        return response;
      }),
    );
    const { generator } = rest({ CLOUDFLARE_AI_GATEWAY: 'my-gw' });
    const first = await generator.generate('flux', 'a cat', { cacheTtl: 3600, seed: 1 });
    const second = await generator.generate('flux', 'a cat', { skipCache: true, seed: 1 });
    expect(first).toMatchObject({ ok: true, route: 'ai-gateway', cacheStatus: 'MISS' });
    expect(second).toMatchObject({ ok: true, route: 'ai-gateway', cacheStatus: 'HIT' });
    expect(headers).toEqual([
      { ttl: '3600', skip: null, auth: `Bearer ${TOKEN}` },
      { ttl: null, skip: 'true', auth: `Bearer ${TOKEN}` },
    ]);
  });

  it("an authenticated gateway gets its own token; the gateway's own error envelope (`error`) is read too", async () => {
    let gatewayAuth: string | null = null;
    server.use(
      http.post(`${GATEWAY}/@cf/leonardo/lucid-origin`, ({ request }) => {
        gatewayAuth = request.headers.get('cf-aig-authorization');
        return HttpResponse.json(
          { success: false, result: [], messages: [], error: [{ code: 2009, message: 'Unauthorized' }] },
          { status: 401 },
        );
      }),
    );
    const { generator } = rest({ CLOUDFLARE_AI_GATEWAY: 'my-gw', CLOUDFLARE_AI_GATEWAY_TOKEN: 'aig-token-SECRET' });
    const result = await generator.generate('lucid-origin', 'a fox');
    expect(gatewayAuth).toBe('Bearer aig-token-SECRET');
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized', providerCode: 2009, status: 401 } });
    expect(JSON.stringify(!result.ok && result.error)).not.toContain('aig-token-SECRET');
  });

  it('cache options on a route without AI Gateway, or malformed, are refused before any request', async () => {
    const { generator } = rest();
    const refused = await generator.generate('flux', 'a cat', { cacheTtl: 60 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 0 } });
    if (!refused.ok) expect(refused.error.message).toContain('AI Gateway route (CLOUDFLARE_AI_GATEWAY); this call goes by rest');
    expect(await generator.generate('flux', 'a cat', { cacheTtl: 1.5 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe("AI Gateway's per-call options and its two endpoints", () => {
  const seen = (url: string) => {
    const calls: Array<{ url: string; headers: Record<string, string> }> = [];
    server.use(
      http.post(url, ({ request }) => {
        calls.push({ url: request.url, headers: Object.fromEntries([...request.headers].filter(([name]) => name.startsWith('cf-aig-'))) });
        return envelope(JPEG_BYTES);
      }),
    );
    return calls;
  };

  it('cacheKey, metadata and requestTimeoutMs become cf-aig-cache-key, cf-aig-metadata and cf-aig-request-timeout', async () => {
    const calls = seen(`${GATEWAY}/@cf/black-forest-labs/flux-1-schnell`);
    const { generator } = rest({ CLOUDFLARE_AI_GATEWAY: 'my-gw' });
    const result = await generator.generate('flux', 'a cat', {
      cacheKey: 'cat-v1',
      metadata: { team: 'web', user: 42, test: true },
      requestTimeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true, route: 'ai-gateway' });
    expect(calls[0]?.headers).toEqual({
      'cf-aig-cache-key': 'cat-v1',
      'cf-aig-metadata': '{"team":"web","user":42,"test":true}',
      'cf-aig-request-timeout': '5000',
    });
  });

  it("CLOUDFLARE_AI_GATEWAY_ENDPOINT=api goes by api.cloudflare.com's /ai/run with cf-aig-gateway-id", async () => {
    const calls = seen(`${REST}/@cf/black-forest-labs/flux-1-schnell`);
    const { generator } = rest({ CLOUDFLARE_AI_GATEWAY: 'my-gw', CLOUDFLARE_AI_GATEWAY_ENDPOINT: 'api' });
    expect(await generator.generate('flux', 'a cat', { cacheTtl: 120 })).toMatchObject({ ok: true, route: 'ai-gateway' });
    expect(calls).toEqual([
      { url: `${REST}/@cf/black-forest-labs/flux-1-schnell`, headers: { 'cf-aig-gateway-id': 'my-gw', 'cf-aig-cache-ttl': '120' } },
    ]);
    expect(() => rest({ CLOUDFLARE_AI_GATEWAY: 'my-gw', CLOUDFLARE_AI_GATEWAY_ENDPOINT: 'new' })).toThrow(
      'CLOUDFLARE_AI_GATEWAY_ENDPOINT must be gateway or api (it is "new")',
    );
  });

  it.each([
    [{ metadata: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } }, 'metadata takes at most 5 entries (AI Gateway drops the rest); it has 6'],
    [{ metadata: { a: { nested: true } } }, 'metadata must be an object of strings, numbers or booleans'],
    [{ cacheKey: '' }, 'cacheKey must be non-empty text on one line'],
    [{ requestTimeoutMs: 0 }, 'requestTimeoutMs must be a positive whole number of milliseconds'],
  ])('%j is refused before any request, never half-sent', async (options, message) => {
    const calls = seen(`${GATEWAY}/@cf/black-forest-labs/flux-1-schnell`);
    const { generator } = rest({ CLOUDFLARE_AI_GATEWAY: 'my-gw' });
    const result = await generator.generate('flux', 'a cat', options as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!result.ok && result.error.message).toContain(message);
    expect(calls).toEqual([]);
  });
});

describe('the generic worker and the local preview routes', () => {
  it('the generic worker gets JSON { model: id, prompt, ...Workers AI fields } with its Bearer key, before the REST API', async () => {
    let seen: { auth: string | null; body: unknown } | undefined;
    server.use(
      http.post('https://imagegen.test.workers.dev/', async ({ request }) => {
        seen = { auth: request.headers.get('authorization'), body: await request.json() };
        return new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } });
      }),
    );
    const { generator } = makeGenerator({
      settings: loadSettings({
        IMAGEGEN_WORKER_URL: 'https://imagegen.test.workers.dev',
        IMAGEGEN_WORKER_KEY: 'worker-key-SECRET',
        CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
        CLOUDFLARE_API_TOKEN: TOKEN,
      }),
    });
    const result = await generator.generate('flux-2-dev', 'a fox', { steps: 8, guidance: 2.5 });
    if (!result.ok) throw result.error;
    expect(result.route).toBe('worker');
    expect(seen).toEqual({
      auth: 'Bearer worker-key-SECRET',
      body: { model: '@cf/black-forest-labs/flux-2-dev', prompt: 'a fox', steps: 8, guidance: 2.5, seed: result.seed },
    });
  });

  it("a 401 of the generic worker names IMAGEGEN_WORKER_KEY, not the SDXL worker's key", async () => {
    server.use(http.post('https://imagegen.test.workers.dev/', () => new HttpResponse('Unauthorized', { status: 401 })));
    const { generator } = makeGenerator({
      settings: loadSettings({ IMAGEGEN_WORKER_URL: 'https://imagegen.test.workers.dev', IMAGEGEN_WORKER_KEY: 'worker-key-0123' }),
    });
    const result = await generator.generate('sdxl', 'a fox');
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized', status: 401 } });
    expect(!result.ok && result.error.message).toContain('IMAGEGEN_WORKER_KEY');
  });

  it("the generic worker's envelope is read by its code: 3036 is final (one attempt), 3040 is retried", async () => {
    let calls = 0;
    const answers: Array<{ status: number; code: number; headers: Record<string, string> }> = [
      { status: 429, code: 3040, headers: { 'retry-after': '0' } },
      { status: 429, code: 3036, headers: {} },
    ];
    server.use(
      http.post('https://imagegen.test.workers.dev/', () => {
        const answer = answers[Math.min(calls++, answers.length - 1)]!;
        return HttpResponse.json({ success: false, errors: [{ code: answer.code, message: 'from the worker' }] }, answer);
      }),
    );
    const { generator } = makeGenerator({
      settings: loadSettings({ IMAGEGEN_WORKER_URL: 'https://imagegen.test.workers.dev' }),
      retry: { retries: 3, on429: true },
    });
    const result = await generator.generate('sdxl', 'a fox');
    expect(result).toMatchObject({ ok: false, error: { code: 'quota_exceeded', retryable: false, providerCode: 3036 } });
    expect(calls).toBe(2);
  });

  it('the local preview is the REST shape at IMAGEGEN_LOCAL_PREVIEW_URL, with no token', async () => {
    let auth: string | null = 'unset';
    server.use(
      http.post('http://127.0.0.1:8787/client/v4/accounts/local/ai/run/@cf/lykon/dreamshaper-8-lcm', ({ request }) => {
        auth = request.headers.get('authorization');
        return new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } });
      }),
    );
    const { generator } = makeGenerator({ settings: loadSettings({ IMAGEGEN_LOCAL_PREVIEW_URL: 'http://127.0.0.1:8787/client/v4/' }) });
    expect(await generator.generate('dreamshaper-8-lcm', 'a fox')).toMatchObject({ ok: true, route: 'local' });
    expect(auth).toBeNull();
  });

  it("nothing configured: flux and sdxl keep their workers' messages, the others say which settings to set", async () => {
    const { generator } = makeGenerator({ settings: loadSettings({}) });
    expect(await generator.generate('flux', 'a fox')).toMatchObject({
      ok: false,
      error: { code: 'not_configured', message: 'Flux worker URL not configured (FLUX_WORKER_URL)' },
    });
    const other = await generator.generate('phoenix', 'a fox');
    expect(!other.ok && other.error.message).toContain('set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN');
  });
});
