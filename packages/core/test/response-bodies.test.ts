import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { FLUX_URL, JPEG_BYTES, makeGenerator, PNG_BYTES, useMsw } from './support/harness.js';

const server = useMsw();
const noRetry = { retry: { retries: 0 } };
const WEBP = Uint8Array.from(atob('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=='), (c) => c.charCodeAt(0));
const GIF = Uint8Array.from(atob('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='), (c) => c.charCodeAt(0));

function serve(body: BodyInit | null, contentType?: string, extra: Record<string, string> = {}) {
  server.use(
    http.get(FLUX_URL, () => new HttpResponse(body, { headers: { ...(contentType ? { 'content-type': contentType } : {}), ...extra } })),
  );
}

describe('response checks', () => {
  it.each([
    ['png', PNG_BYTES, 'image/png'],
    ['jpg', JPEG_BYTES, 'image/jpeg'],
    ['webp', WEBP, 'image/webp'],
    ['gif', GIF, 'image/gif'],
  ] as const)('names a %s file from its bytes', async (extension, bytes, contentType) => {
    serve(bytes, 'image/png');
    const { generator, store } = makeGenerator();
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: true, contentType });
    if (!result.ok) return;
    expect(result.path.endsWith(`.${extension}`)).toBe(true);
    expect(store.files.get(result.path)).toEqual(bytes);
  });

  it('a JPEG labelled image/png is saved as .jpg (the bytes win)', async () => {
    serve(JPEG_BYTES, 'image/png');
    const { generator } = makeGenerator();
    const result = await generator.generateWithFlux('a cat');
    expect(result.ok && result.path.endsWith('.jpg')).toBe(true);
  });

  it('a 200 with a non-image content type is invalid_response and retryable', async () => {
    serve('<html>oops</html>', 'text/html');
    const { generator, store } = makeGenerator(noRetry);
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_response', retryable: true } });
    if (!result.ok) expect(result.error.message).toContain('text/html');
    expect(store.files.size).toBe(0);
  });

  it('a lying content type (image/png over HTML bytes) is invalid_response', async () => {
    serve('<html>this is not a png at all</html>', 'image/png');
    const { generator, store } = makeGenerator(noRetry);
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
    expect(store.files.size).toBe(0);
  });

  it('an empty 200 is invalid_response', async () => {
    serve(null, 'image/png');
    const { generator } = makeGenerator(noRetry);
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
  });

  it('a truncated PNG (no IEND) is invalid_response, even with a matching Content-Length', async () => {
    const cut = PNG_BYTES.slice(0, 30);
    serve(cut, 'image/png', { 'content-length': String(cut.length) });
    const { generator, store } = makeGenerator(noRetry);
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
    expect(store.files.size).toBe(0);
  });

  it('a non-image 200 is retried, and a later image succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(FLUX_URL, () =>
        ++calls === 1
          ? new HttpResponse('nope', { headers: { 'content-type': 'text/plain' } })
          : new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } }),
      ),
    );
    const { generator } = makeGenerator({ retry: { baseDelayMs: 1 } });
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: true, attempts: 2 });
  });

  it('decodes a JSON {"image": base64} answer (Workers AI flux-1-schnell)', async () => {
    server.use(http.get(FLUX_URL, () => HttpResponse.json({ image: btoa(String.fromCharCode(...JPEG_BYTES)) })));
    const { generator, store } = makeGenerator();
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: true, contentType: 'image/jpeg' });
    if (result.ok) expect(store.files.get(result.path)).toEqual(JPEG_BYTES);
  });

  it('decodes the REST shape {"result": {"image": base64}} too', async () => {
    server.use(http.get(FLUX_URL, () => HttpResponse.json({ result: { image: btoa(String.fromCharCode(...PNG_BYTES)) }, success: true })));
    const { generator } = makeGenerator();
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: true, contentType: 'image/png' });
  });

  it('JSON without an image, or with bad base64, is invalid_response', async () => {
    const { generator } = makeGenerator(noRetry);
    server.use(http.get(FLUX_URL, () => HttpResponse.json({ error: 'nope' })));
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
    server.use(http.get(FLUX_URL, () => HttpResponse.json({ image: '%%%not base64%%%' })));
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
    server.use(http.get(FLUX_URL, () => new HttpResponse('{"image": ', { headers: { 'content-type': 'application/json' } })));
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
  });
});

describe('size cap', () => {
  it('a declared Content-Length over maxImageBytes is too_large, not retried', async () => {
    let calls = 0;
    server.use(
      http.get(
        FLUX_URL,
        () => (calls++, new HttpResponse(new Uint8Array(2048), { headers: { 'content-type': 'image/png', 'content-length': '2048' } })),
      ),
    );
    const { generator, store } = makeGenerator({ maxImageBytes: 1024 });
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large', retryable: false, attempts: 1 } });
    expect(calls).toBe(1);
    expect(store.files.size).toBe(0);
  });

  it('a streamed body that grows past the cap stops there: too_large, nothing stored', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(pulled === 1 ? PNG_BYTES.slice(0, 16) : new Uint8Array(512));
      },
    });
    serve(endless, 'image/png');
    const { generator, store } = makeGenerator({ maxImageBytes: 4096 });
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(pulled).toBeLessThan(20);
    expect(store.files.size).toBe(0);
  });

  it('a decoded JSON image over the cap is too_large', async () => {
    const big = new Uint8Array(3000);
    big.set(PNG_BYTES.slice(0, 8));
    server.use(http.get(FLUX_URL, () => HttpResponse.json({ image: btoa(String.fromCharCode(...big)) })));
    const { generator } = makeGenerator({ maxImageBytes: 2500 });
    expect(await generator.generateWithFlux('a cat')).toMatchObject({ ok: false, error: { code: 'too_large' } });
  });
});
