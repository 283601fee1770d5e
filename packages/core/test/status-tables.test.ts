import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { FLUX_URL, makeGenerator, PNG_BYTES, SDXL_URL, useMsw } from './support/harness.js';

const server = useMsw();

// imagegen's tables for the Flux and SDXL workers: status -> code -> message, and whether it was retried.
const rows = [
  { status: 400, code: 'bad_request', flux: 'Invalid prompt or request format: no', sdxl: 'Invalid prompt or request format: no' },
  {
    status: 401,
    code: 'unauthorized',
    flux: 'Worker refused the request as unauthorized (HTTP 401)',
    sdxl: 'SDXL API key invalid or missing',
  },
  { status: 405, code: 'method_not_allowed', flux: 'Invalid request method', sdxl: 'Invalid request method' },
  {
    status: 429,
    code: 'rate_limited',
    flux: 'Rate limit exceeded, please try again later',
    sdxl: 'Rate limit exceeded, please try again later',
  },
  { status: 404, code: 'bad_request', flux: 'Invalid prompt or request format', sdxl: 'Invalid prompt or request format' },
] as const;

describe.each(['flux', 'sdxl'] as const)('%s status table', (model) => {
  const url = model === 'flux' ? FLUX_URL : SDXL_URL;
  const route = model === 'flux' ? http.get : http.post;

  it('200 with an image saves it', async () => {
    server.use(route(url, () => new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } })));
    const { generator, store } = makeGenerator();
    const result = await generator.generate(model, 'a cat');
    expect(result).toMatchObject({ ok: true, model, contentType: 'image/png', bytes: PNG_BYTES.length, attempts: 1 });
    if (!result.ok) throw result.error;
    expect(result.path).toMatch(new RegExp(`image_${model}_[0-9a-f]{8}_\\d+\\.png$`));
    expect(result.path).toContain(result.requestId);
    expect(store.files.get(result.path)).toEqual(PNG_BYTES);
  });

  it.each(rows)('$status is $code, not retried, nothing stored', async ({ status, code, ...messages }) => {
    let calls = 0;
    server.use(route(url, () => (calls++, new HttpResponse('no', { status }))));
    const { generator, store } = makeGenerator();
    const result = await generator.generate(model, 'a cat');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code, status, message: messages[model], attempts: 1, model });
    expect(calls).toBe(1);
    expect(store.files.size).toBe(0);
  });

  it('5xx is server_error, retryable, with the service error message', async () => {
    server.use(route(url, () => new HttpResponse('down', { status: 503 })));
    const { generator } = makeGenerator({ retry: { retries: 0 } });
    const result = await generator.generate(model, 'a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'server_error', status: 503, retryable: true } });
    if (!result.ok) expect(result.error.message).toMatch(/^Service error/);
  });
});

describe("a 400's reason", () => {
  it('is appended to the message of its code, from text or JSON, cleaned and short', async () => {
    const { generator } = makeGenerator();
    server.use(
      http.get(
        FLUX_URL,
        () => new HttpResponse('steps must be an integer from 1 to 8\n', { status: 400, headers: { 'content-type': 'text/plain' } }),
      ),
    );
    expect(await generator.generateWithFlux('a cat')).toMatchObject({
      ok: false,
      error: { message: 'Invalid prompt or request format: steps must be an integer from 1 to 8' },
    });
    server.use(http.get(FLUX_URL, () => HttpResponse.json({ error: { message: 'prompt\u0007 flagged' } }, { status: 400 })));
    expect(await generator.generateWithFlux('a cat')).toMatchObject({
      ok: false,
      error: { message: 'Invalid prompt or request format: prompt flagged' },
    });
    server.use(http.get(FLUX_URL, () => new HttpResponse('<html>'.repeat(500), { status: 400, headers: { 'content-type': 'image/png' } })));
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { message: 'Invalid prompt or request format' } });
  });
});

describe('requests as the Flux and SDXL workers expect them', () => {
  it('flux sends GET ?prompt= with %20 for spaces, and steps/seed only when set', async () => {
    const seen: string[] = [];
    server.use(
      http.get(
        FLUX_URL,
        ({ request }) => (seen.push(request.url), new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } })),
      ),
    );
    const { generator } = makeGenerator();
    await generator.generateWithFlux('A beautiful cat');
    await generator.generateWithFlux('x&y=z', { seed: 7, steps: 4 });
    expect(seen[0]).toBe(`${FLUX_URL}?prompt=A%20beautiful%20cat`);
    expect(seen[1]).toBe(`${FLUX_URL}?prompt=x%26y%3Dz&steps=4&seed=7`);
  });

  it('sdxl sends POST JSON with the Bearer key', async () => {
    let captured: { auth: string | null; type: string | null; body: unknown } | undefined;
    server.use(
      http.post(SDXL_URL, async ({ request }) => {
        captured = { auth: request.headers.get('authorization'), type: request.headers.get('content-type'), body: await request.json() };
        return new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } });
      }),
    );
    const { generator } = makeGenerator();
    await generator.generateWithSdxl('A stunning landscape', { width: 768, height: 512, seed: 1 });
    expect(captured).toEqual({
      auth: 'Bearer sk-test-0123456789abcdef-SECRET',
      type: 'application/json',
      body: { prompt: 'A stunning landscape', width: 768, height: 512, seed: 1 },
    });
  });

  it('a parameter the model does not take fails as bad_request and sends nothing', async () => {
    const { generator } = makeGenerator();
    const result = await generator.generateWithFlux('a cat', { width: 512 });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 0 } });
    const unknown = await generator.generate('dalle', 'a cat');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
