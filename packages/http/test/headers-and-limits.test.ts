import { TINY_PNG } from '@imagegen/testkit';
import { describe, expect, it } from 'vitest';
import { imagesAnswerJson } from '../src/images-json.js';
import { useGateways } from './support/gateway.js';

const { gateway } = useGateways();

describe('headers set before the handler stay on every answer', () => {
  it('a success, an error and an image carry the request id and the CORS headers', async () => {
    const page = 'http://localhost:5173';
    const { app, post } = await gateway({ cors: { origin: [page] } });
    const ok = await post({ prompt: 'a cat' }, { 'x-request-id': 'req-ok-1', origin: page });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('req-ok-1');
    expect(ok.headers.get('access-control-allow-origin')).toBe(page);
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-imagegen-attempts');
    expect(ok.headers.get('x-imagegen-attempts')).toBe('1');
    const { data } = (await ok.json()) as { data: Array<{ url: string }> };

    const image = await app.request(new URL(data[0]!.url).pathname, { headers: { 'x-request-id': 'req-image-1', origin: page } });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-request-id')).toBe('req-image-1');
    expect(image.headers.get('access-control-allow-origin')).toBe(page);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(TINY_PNG);

    const bad = await post({ prompt: '' }, { 'x-request-id': 'req-bad-1', origin: page });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-request-id')).toBe('req-bad-1');
    expect(bad.headers.get('access-control-allow-origin')).toBe(page);
  });

  it('a list of origins allows only those, says Vary: Origin, and answers their preflight', async () => {
    const { app, post } = await gateway({ cors: { origin: ['https://app.example'] } });
    const allowed = await post({ prompt: 'a cat' }, { origin: 'https://app.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await post({ prompt: 'a cat' }, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await app.request('/v1/images/generations', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('no CORS headers at all when CORS is off', async () => {
    const { post } = await gateway({ cors: false });
    expect((await post({ prompt: 'a cat' }, { origin: 'https://app.example' })).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the body limit', () => {
  it('refuses a declared Content-Length over the limit without reading the body, and a chunked body that grows past it', async () => {
    const { app, post } = await gateway({ maxBodyBytes: 1024 });
    const declared = await post({ prompt: 'x'.repeat(2000) }, { 'content-length': '2013' });
    expect(declared.status).toBe(413);
    const encoder = new TextEncoder();
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`{"prompt":"${'y'.repeat(900)}`));
        controller.enqueue(encoder.encode(`${'y'.repeat(900)}"}`));
        controller.close();
      },
    });
    const streamed = await app.request('/v1/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
  });

  it('a declared Content-Length within the limit is served', async () => {
    const { post } = await gateway({ maxBodyBytes: 1024 });
    const body = JSON.stringify({ prompt: 'a cat', response_format: 'b64_json' });
    expect((await post(body, { 'content-length': String(body.length) })).status).toBe(200);
  });
});

describe('imagesAnswerJson', () => {
  it('is the same JSON as JSON.stringify for url and b64_json images, with other fields kept', () => {
    const answer = {
      created: 1_700_000_000,
      data: [
        { b64_json: Buffer.from(TINY_PNG).toString('base64') },
        { url: 'https://x.example/v1/images/a "b".png' },
        { b64_json: 'AQID', seed: 7 },
      ],
    };
    expect(JSON.parse(imagesAnswerJson(answer))).toEqual(answer);
    expect(imagesAnswerJson({ created: 1, data: [] })).toBe('{"created":1,"data":[]}');
  });
});
