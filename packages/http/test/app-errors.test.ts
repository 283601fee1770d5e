import { readdir } from 'node:fs/promises';
import { createGate, NEVER, startTestWorker, TINY_PNG } from '@imagegen/testkit';
import { describe, expect, it, vi } from 'vitest';
import { expectOpenAiError, GATEWAY_KEY, useGateways, WORKER_KEY } from './support/gateway.js';

const { worker: currentWorker, gateway } = useGateways({ apiKey: WORKER_KEY });

describe('POST /v1/images/generations', () => {
  it('answers b64_json and url images in OpenAI shape, and serves the url', async () => {
    const { post, app, dir } = await gateway();
    const b64 = await post({ prompt: 'a cat', response_format: 'b64_json' });
    expect(b64.status).toBe(200);
    const body = (await b64.json()) as { created: number; data: Array<{ b64_json: string }> };
    expect(Buffer.from(body.data[0]!.b64_json, 'base64')).toEqual(TINY_PNG);
    expect(await readdir(dir)).toEqual([]);

    const urlAnswer = (await (await post({ prompt: 'a dog', model: 'sdxl', n: 2, size: '512x768' })).json()) as {
      data: Array<{ url: string }>;
    };
    expect(urlAnswer.data).toHaveLength(2);
    const image = await app.request(new URL(urlAnswer.data[0]!.url).pathname);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('cache-control')).toContain('max-age=3600');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(TINY_PNG);
    expect(
      currentWorker()
        .requests.filter((request) => request.method === 'POST')
        .map((request) => request.json),
    ).toEqual([
      { prompt: 'a dog', width: 512, height: 768 },
      { prompt: 'a dog', width: 512, height: 768 },
    ]);
  });

  it('accepts the Workers AI model names as aliases, and seed and user', async () => {
    const { post } = await gateway();
    const response = await post({
      prompt: 'a cat',
      model: '@cf/black-forest-labs/flux-1-schnell',
      seed: 5,
      user: 'u1',
      response_format: 'b64_json',
    });
    expect(response.status).toBe(200);
    expect(currentWorker().requests[0]?.query).toMatchObject({ prompt: 'a cat', seed: '5' });
  });

  it.each([
    [{ status: 400 }, 400, 'upstream_bad_request'],
    [{ status: 405 }, 502, 'upstream_method_not_allowed'],
    [{ status: 500 }, 502, 'upstream_error'],
    [{ status: 503 }, 502, 'upstream_error'],
    [{ body: 'nope', contentType: 'text/html' }, 502, 'upstream_invalid_response'],
    [{ holdUntil: NEVER }, 504, 'upstream_timeout'],
    [{ hugeBytes: 60 * 1024 * 1024 }, 502, 'upstream_image_too_large'],
  ])('upstream %j becomes %i %s', async (reply, status, code) => {
    const { post, dir } = await gateway();
    currentWorker().script([reply]);
    const error = await expectOpenAiError(await post({ prompt: 'a cat' }), status, code);
    expect(error.message).toEqual(expect.any(String));
    expect(await readdir(dir)).toEqual([]);
  });

  it('upstream 429 becomes 429 with Retry-After passed through', async () => {
    const { post } = await gateway();
    currentWorker().script([{ status: 429, headers: { 'retry-after': '17' } }]);
    const response = await post({ prompt: 'a cat' });
    expect(response.headers.get('retry-after')).toBe('17');
    const error = await expectOpenAiError(response, 429, 'rate_limit_exceeded');
    expect(error.message).toContain('Rate limit exceeded');
  });

  it('upstream 401 and a missing upstream key are 502, and the key is never echoed', async () => {
    const wrongKey = await gateway({ env: { SDXL_API_KEY: `${WORKER_KEY}-wrong` } });
    const response = await wrongKey.post({ prompt: 'a cat', model: 'sdxl' });
    const text = await response.clone().text();
    await expectOpenAiError(response, 502, 'upstream_unauthorized');
    expect(text).not.toContain(WORKER_KEY);

    const noKey = await gateway({ env: { SDXL_API_KEY: '' } });
    await expectOpenAiError(await noKey.post({ prompt: 'a cat', model: 'sdxl' }), 502, 'upstream_not_configured');
  });

  it('an unreachable worker is 502', async () => {
    const gone = await startTestWorker();
    await gone.close();
    const { post } = await gateway({ env: { FLUX_WORKER_URL: gone.fluxUrl } });
    await expectOpenAiError(await post({ prompt: 'a cat' }), 502, 'upstream_unreachable');
  });
});

describe('auth, limits and routes', () => {
  it('with keys: missing and wrong keys are 401, the right one passes', async () => {
    const { post, app } = await gateway({ keys: [GATEWAY_KEY, 'second-key'] });
    await expectOpenAiError(await post({ prompt: 'a cat' }), 401, 'invalid_api_key');
    await expectOpenAiError(await post({ prompt: 'a cat' }, { authorization: `Bearer ${GATEWAY_KEY}x` }), 401);
    await expectOpenAiError(await post({ prompt: 'a cat' }, { authorization: 'Bearer ' }), 401);
    await expectOpenAiError(await app.request('/v1/models'), 401);
    expect((await post({ prompt: 'a cat', response_format: 'b64_json' }, { authorization: `Bearer ${GATEWAY_KEY}` })).status).toBe(200);
    expect((await post({ prompt: 'a cat', response_format: 'b64_json' }, { authorization: 'Bearer second-key' })).status).toBe(200);
    expect(currentWorker().requests).toHaveLength(2);
  });

  it('a body over the limit is 413', async () => {
    const { post } = await gateway({ maxBodyBytes: 1024 });
    await expectOpenAiError(await post({ prompt: 'x'.repeat(2000) }), 413, 'request_too_large');
  });

  it('the per-key rate limit answers 429 with Retry-After', async () => {
    let now = 1_000_000;
    const { post } = await gateway({ rateLimit: { burst: 2, perSecond: 0.5, now: () => now } });
    expect((await post({ prompt: 'a', response_format: 'b64_json' })).status).toBe(200);
    expect((await post({ prompt: 'b', response_format: 'b64_json' })).status).toBe(200);
    const limited = await post({ prompt: 'c' });
    expect(limited.headers.get('retry-after')).toBe('2');
    await expectOpenAiError(limited, 429, 'rate_limit_exceeded');
    now += 2000;
    expect((await post({ prompt: 'd', response_format: 'b64_json' })).status).toBe(200);
  });

  it('a full wait queue is 503 with Retry-After', async () => {
    const { post, app } = await gateway({ concurrency: 1, maxWaiting: 1 });
    const gate = createGate();
    currentWorker().script([{ holdUntil: gate.opened }, { holdUntil: gate.opened }]);
    const first = post({ prompt: 'one', response_format: 'b64_json' });
    const second = post({ prompt: 'two', response_format: 'b64_json' });
    await vi.waitFor(() => expect(app.queue.waiting).toBe(1));
    const third = await post({ prompt: 'three' });
    expect(third.headers.get('retry-after')).toBe('2');
    await expectOpenAiError(third, 503, 'queue_full');
    gate.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it.each([
    '/v1/images/..%2F..%2Fetc%2Fpasswd',
    '/v1/images/../../etc/passwd',
    '/v1/images/%2e%2e%2fpackage.json',
    '/v1/images/image_flux_00000000_1.png',
    '/v1/images/package.json',
  ])('GET %s is 404', async (path) => {
    const { app } = await gateway();
    expect((await app.request(path)).status).toBe(404);
  });

  it('unknown routes are 404 in OpenAI shape; models, health, metrics and openapi answer', async () => {
    const { app, post } = await gateway();
    await expectOpenAiError(await app.request('/v2/nothing'), 404, 'not_found');
    const models = (await (await app.request('/v1/models')).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['flux', 'sdxl', '@cf/stabilityai/stable-diffusion-xl-base-1.0']),
    );
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    await post({ prompt: 'a cat', response_format: 'b64_json' });
    const metrics = await (await app.request('/metrics')).text();
    expect(metrics).toContain('imagegen_http_requests_total{route="/v1/images/generations",method="POST",status="200"} 1');
    expect(metrics).toContain('imagegen_upstream_attempts_total{model="flux"} 1');
    expect(metrics).toContain('imagegen_generation_duration_seconds_bucket');
    expect(metrics).toContain('imagegen_queue_depth 0');
    const openapi = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(JSON.stringify(openapi.paths['/v1/images/generations'])).toContain('response_format');
    expect(Object.keys(openapi.paths)).toContain('/v1/jobs/{id}');
    const edits = JSON.stringify(openapi.paths['/v1/images/edits']);
    for (const field of ['"image[]"', '"mask"', '"output_format"', '"output_compression"', '"strength"', '"stream"'])
      expect(edits).toContain(field);
    expect(JSON.stringify(openapi.paths['/v1/images/generations'])).toContain('Accepted and ignored');
  });

  it('honours a sane x-request-id and generates one otherwise', async () => {
    const { app } = await gateway();
    expect((await app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    expect((await app.request('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } })).headers.get('x-request-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('CORS answers a preflight of a listed origin', async () => {
    const { app } = await gateway({ cors: { origin: ['http://localhost:5173'] } });
    const preflight = await app.request('/v1/images/generations', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});
