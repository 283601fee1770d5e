import { describe, expect, it } from 'vitest';
import imagegenWorker from '../src/imagegen-worker.js';
import type { AiBinding } from '../src/index.js';
import { failingAi, PNG_1x1, recordingAi } from './support.js';

const KEY = 'worker-test-key';
const run = (ai: AiBinding, body: Record<string, unknown> = { model: 'sdxl-lightning', prompt: 'a fox' }) =>
  imagegenWorker.fetch(
    new Request('https://imagegen.example/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify(body),
    }),
    { AI: ai, API_KEY: KEY },
  );
const base64 = btoa(String.fromCharCode(...PNG_1x1));

describe('the generic worker reads every answer shape of env.AI.run (one reader, shared with the core)', () => {
  it.each([
    ['a ReadableStream', () => new Response(PNG_1x1).body],
    ['a Uint8Array', () => PNG_1x1],
    ['an ArrayBuffer', () => PNG_1x1.slice().buffer],
    ['a Response', () => new Response(PNG_1x1, { headers: { 'content-type': 'image/png' } })],
    ['{ image: base64 }', () => ({ image: base64 })],
    ['{ image: data URL }', () => ({ image: `data:image/png;base64,${base64}` })],
    ['{ data: bytes }', () => ({ data: PNG_1x1 })],
    ['{ result: { image: base64 } }', () => ({ result: { image: base64 } })],
    ['{ images: [base64] }', () => ({ images: [base64] })],
  ])('%s', async (_name, answer) => {
    const response = await run(recordingAi(answer()).ai);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG_1x1);
  });

  it('an answer with no image is a 502 in words', async () => {
    const response = await run(recordingAi({ nothing: true }).ai);
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('returned no image');
  });
});

describe("the generic worker passes a binding failure on in Cloudflare's envelope, by its code", () => {
  const envelope = async (response: Response) =>
    ((await response.json()) as { errors: Array<{ code: number; message: string }> }).errors[0];

  it('3040 (out of capacity) is 429 with Retry-After: try again', async () => {
    const response = await run(failingAi('3040: Capacity temporarily exceeded, please try again.'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(await envelope(response)).toMatchObject({ code: 3040 });
  });

  it('3036 (daily allocation used up) is 429 without Retry-After: final until 00:00 UTC', async () => {
    const response = await run(failingAi('AiError: 3036: You have used up your daily free allocation of 10,000 neurons'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeNull();
    const error = await envelope(response);
    expect(error).toMatchObject({ code: 3036 });
    expect(error?.message).toContain('00:00 UTC');
  });

  it("5035 (Workers Paid needed) is 403, and the binding's own text and stack never leave the worker", async () => {
    const response = await run(failingAi('5035: secret internal detail at /srv/ai'));
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('Workers Paid');
    expect(text).not.toMatch(/secret internal|srv\/ai|secretInternal/);
  });

  it('an error without a code is a 502', async () => {
    expect((await run(failingAi('something broke'))).status).toBe(502);
  });
});
