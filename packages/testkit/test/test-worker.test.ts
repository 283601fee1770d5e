import { afterEach, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker, TINY_PNG } from '../src/index.js';

let worker: TestWorker | undefined;
afterEach(() => worker?.close());

describe('startTestWorker', () => {
  it('answers scripted replies in order, then the default PNG, and logs each request', async () => {
    worker = await startTestWorker();
    worker.script([{ status: 503, headers: { 'retry-after': '2' } }, { status: 429 }]);
    const first = await fetch(`${worker.fluxUrl}?prompt=a%20cat`);
    expect([first.status, first.headers.get('retry-after')]).toEqual([503, '2']);
    expect((await fetch(worker.fluxUrl)).status).toBe(429);
    const third = await fetch(worker.fluxUrl);
    expect(third.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await third.arrayBuffer())).toEqual(TINY_PNG);
    expect(worker.requests.map((request) => request.prompt)).toEqual(['a cat', undefined, undefined]);
  });

  it('scripts by prompt, checks the Bearer key on POST, and parses JSON bodies', async () => {
    worker = await startTestWorker({ apiKey: 'k' });
    worker.scriptPrompt('fail me', [{ status: 400, body: 'bad prompt' }]);
    const post = (prompt: string, key: string) =>
      fetch(worker!.sdxlUrl, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ prompt }) });
    expect((await post('fail me', 'k')).status).toBe(400);
    expect((await post('fail me', 'k')).status).toBe(200);
    expect((await post('x', 'wrong')).status).toBe(401);
    expect(worker.requests[0]?.json).toEqual({ prompt: 'fail me' });
  });

  it('a JSON reply carries the image as base64', async () => {
    worker = await startTestWorker();
    worker.script([{ json: true }]);
    const body = (await (await fetch(worker.fluxUrl)).json()) as { image: string };
    expect(Buffer.from(body.image, 'base64')).toEqual(TINY_PNG);
  });

  it('a reset mid-body breaks the read on the client', async () => {
    worker = await startTestWorker();
    worker.script([{ body: TINY_PNG, resetAfterBytes: 10, contentType: 'image/png' }]);
    const response = await fetch(worker.fluxUrl);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });
});
