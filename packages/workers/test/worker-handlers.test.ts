import { describe, expect, it } from 'vitest';
import { fluxWorker, sdxlWorker, FLUX_MODEL, SDXL_MODEL } from '../src/index.js';
import { failingAi, PNG_1x1, recordingAi } from './support.js';

const KEY = 'worker-test-key';
const flux = (query: string, ai = recordingAi({ image: btoa(String.fromCharCode(...PNG_1x1)) }).ai, method = 'GET') =>
  fluxWorker.fetch(new Request(`https://flux.example/${query}`, { method }), { AI: ai });
const sdxl = (body: unknown, options: { key?: string | null; method?: string; ai?: ReturnType<typeof recordingAi>['ai'] } = {}) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? KEY}`;
  const method = options.method ?? 'POST';
  return sdxlWorker.fetch(
    new Request('https://sdxl.example/', {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
    { AI: options.ai ?? recordingAi(PNG_1x1).ai, API_KEY: KEY },
  );
};

describe('flux worker', () => {
  it('GET /?prompt= runs flux-1-schnell with prompt and steps, and answers the decoded image', async () => {
    const { ai, calls } = recordingAi({ image: btoa(String.fromCharCode(...PNG_1x1)) });
    const response = await flux('?prompt=a%20red%20fox&steps=4&seed=9', ai);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG_1x1);
    expect(calls).toEqual([{ model: FLUX_MODEL, inputs: { prompt: 'a red fox', steps: 4, seed: 9 } }]);
  });

  it.each([
    ['', 'Missing prompt'],
    ['?prompt=', 'prompt must not be empty'],
    ['?prompt=%20%20', 'prompt must not be empty'],
    [`?prompt=${'x'.repeat(2049)}`, 'prompt is too long (2049 characters, maximum 2048)'],
    ['?prompt=cat&steps=0', 'steps must be an integer from 1 to 8'],
    ['?prompt=cat&steps=9', 'steps must be an integer from 1 to 8'],
    ['?prompt=cat&steps=2.5', 'steps must be an integer from 1 to 8'],
    ['?prompt=cat&seed=-1', 'seed must be an integer'],
  ])('400 for %s', async (query, text) => {
    const response = await flux(query);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(text);
  });

  it('a 2,048-character prompt is accepted', async () => {
    expect((await flux(`?prompt=${'x'.repeat(2048)}`)).status).toBe(200);
  });

  it('405 for POST, with Allow: GET', async () => {
    const response = await flux('?prompt=cat', undefined, 'POST');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('a capacity error is 429 with Retry-After', async () => {
    const response = await flux('?prompt=cat', failingAi('3040: Capacity temporarily exceeded, please try again.'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('10');
  });

  it('any other AI failure is 502 with no stack or internal text', async () => {
    const response = await flux('?prompt=cat', failingAi('boom at secretInternal'));
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toMatch(/secretInternal|at |boom/);
  });

  it('an AI answer with no image is 502', async () => {
    expect((await flux('?prompt=cat', recordingAi({}).ai)).status).toBe(502);
  });
});

describe('sdxl worker', () => {
  it('POST JSON with the right key runs SDXL with every parameter and streams the PNG', async () => {
    const stream = new ReadableStream({ start: (controller) => (controller.enqueue(PNG_1x1), controller.close()) });
    const { ai, calls } = recordingAi(stream);
    const response = await sdxl(
      { prompt: 'a lighthouse', negative_prompt: 'fog', width: 768, height: 512, num_steps: 12, guidance: 6.5, seed: 5 },
      { ai },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG_1x1);
    expect(calls).toEqual([
      {
        model: SDXL_MODEL,
        inputs: { prompt: 'a lighthouse', negative_prompt: 'fog', width: 768, height: 512, num_steps: 12, guidance: 6.5, seed: 5 },
      },
    ]);
  });

  it.each([
    ['missing', null],
    ['wrong', 'not-the-key'],
    ['a prefix of the key', KEY.slice(0, 5)],
  ])('401 when the key is %s', async (_, key) => {
    const response = await sdxl({ prompt: 'cat' }, { key });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(KEY);
  });

  it.each(['GET', 'PUT', 'DELETE'])('405 for %s, with Allow: POST', async (method) => {
    const response = await sdxl({ prompt: 'cat' }, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['not json', 'Body must be a JSON object'],
    [[1, 2], 'Body must be a JSON object'],
    [{}, 'Missing prompt'],
    [{ prompt: '' }, 'prompt must not be empty'],
    [{ prompt: 42 }, 'prompt must be a string'],
    [{ prompt: 'x'.repeat(2049) }, 'prompt is too long'],
    [{ prompt: 'cat', width: 255 }, 'width must be an integer from 256 to 2048'],
    [{ prompt: 'cat', height: 2049 }, 'height must be an integer from 256 to 2048'],
    [{ prompt: 'cat', num_steps: 21 }, 'num_steps must be an integer from 1 to 20'],
    [{ prompt: 'cat', num_steps: 0 }, 'num_steps must be an integer from 1 to 20'],
    [{ prompt: 'cat', negative_prompt: 3 }, 'negative_prompt must be a string'],
    [{ prompt: 'cat', guidance: 31 }, 'guidance must be a number from 0 to 30'],
    [{ prompt: 'cat', guidance: 'high' }, 'guidance must be a number from 0 to 30'],
  ])('400 for %j', async (body, text) => {
    const response = await sdxl(body);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(text);
  });

  it('a capacity error is 429 with Retry-After, any other failure 502 with no stack', async () => {
    const busy = await sdxl({ prompt: 'cat' }, { ai: failingAi('Capacity temporarily exceeded') });
    expect([busy.status, busy.headers.get('retry-after')]).toEqual([429, '10']);
    const broken = await sdxl({ prompt: 'cat' }, { ai: failingAi('TypeError: x is undefined') });
    expect(broken.status).toBe(502);
    expect(await broken.text()).not.toMatch(/TypeError|secretInternal/);
  });

  it('a worker with no API_KEY secret refuses every request', async () => {
    const response = await sdxlWorker.fetch(
      new Request('https://sdxl.example/', { method: 'POST', headers: { authorization: 'Bearer ' }, body: '{"prompt":"cat"}' }),
      { AI: recordingAi(PNG_1x1).ai },
    );
    expect(response.status).toBe(500);
  });
});
