import { APICallError, NoSuchModelError } from '@ai-sdk/provider';
import type { WorkersAiBinding } from '@imagegen/core';
import { makePng, startSchemaCheckedWorkersAi, startTestWorker, type SchemaCheckedWorkersAi, type TestWorker } from '@imagegen/testkit';
import { generateImage as generateImage6 } from 'ai-v6';
import { generateImage as generateImage7 } from 'ai-v7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImagegen } from '../src/index.js';

// The AI SDK from the registry, both majors side by side (npm aliases), against imagegen's
// provider: the schema-checked Workers AI emulation (it refuses what Cloudflare's schemas refuse)
// for what goes out, a scripted worker for Cloudflare's error answers, the offline preview.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const PNG = makePng(64, 64, [200, 30, 30]);
const MASK = makePng(64, 64, [255, 255, 255]);
const TOKEN = 'cf-token-SECRET-abcdef0123456789';
const cloudflareFailure = (status: number, code: number, message: string, headers: Record<string, string> = {}) => ({
  status,
  headers,
  contentType: 'application/json',
  body: JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] }),
});
const success = () => ({
  contentType: 'application/json',
  body: JSON.stringify({ result: { image: PNG.toString('base64') }, success: true }),
});

let emulation: SchemaCheckedWorkersAi;
let worker: TestWorker;
beforeAll(async () => {
  emulation = await startSchemaCheckedWorkersAi();
  worker = await startTestWorker({ defaultReply: success() });
});
afterAll(async () => {
  await emulation?.close();
  await worker?.close();
});
/** The error a call fails with; the test fails when it succeeds. */
async function failureOf(pending: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await pending;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
const workerEnv = () => ({
  CLOUDFLARE_ACCOUNT_ID: 'acc-1',
  CLOUDFLARE_API_TOKEN: TOKEN,
  CLOUDFLARE_API_BASE_URL: `${worker.url}/client/v4`,
});

describe.each([
  ['ai 6', generateImage6],
  ['ai 7', generateImage7],
] as const)('generateImage of %s with @imagegen/ai-sdk', (_, generateImage) => {
  it('flux-2-dev over REST with providerOptions.imagegen.steps: sent as the schema has it, n: 3 makes three seeds', async () => {
    const imagegen = createImagegen({ env: emulation.env });
    const before = emulation.requests.length;
    const { images, providerMetadata, warnings, responses } = await generateImage({
      model: imagegen.image('flux-2-dev'),
      prompt: 'a red fox in the snow',
      n: 3,
      providerOptions: { imagegen: { steps: 20 } },
    });
    const sent = emulation.requests.slice(before);
    expect(sent.map((request) => [request.model, request.status, request.input.steps])).toEqual(
      Array(3).fill(['@cf/black-forest-labs/flux-2-dev', 200, '20']),
    );
    expect(images).toHaveLength(3);
    for (const image of images) expect(image.mediaType).toBe('image/png');
    const seeds = (providerMetadata.imagegen!.images as Array<{ seed: number; route: string; cached: boolean }>).map((image) => image.seed);
    expect(new Set(seeds).size).toBe(3);
    expect(sent.map((request) => Number(request.input.seed)).sort()).toEqual([...seeds].sort());
    expect(providerMetadata.imagegen!.images[0]).toMatchObject({ route: 'rest', cached: false, model: 'flux-2-dev' });
    expect(warnings).toEqual([]);
    expect(responses[0]).toMatchObject({
      modelId: '@cf/black-forest-labs/flux-2-dev',
      headers: { 'x-imagegen-route': 'rest, rest, rest' },
    });
    await imagegen.close();
  });

  it('a seed with n: 3 gives seed, seed + 1, seed + 2; a size goes out as width and height', async () => {
    const imagegen = createImagegen({ env: emulation.env });
    const before = emulation.requests.length;
    const { providerMetadata } = await generateImage({
      model: imagegen('lucid-origin'),
      prompt: 'a lighthouse',
      n: 3,
      seed: 41,
      size: '768x512',
    });
    expect((providerMetadata.imagegen!.images as Array<{ seed: number }>).map((image) => image.seed)).toEqual([41, 42, 43]);
    expect(emulation.requests.slice(before).map((request) => [request.input.width, request.input.height, request.status])).toEqual(
      Array(3).fill([768, 512, 200]),
    );
    await imagegen.close();
  });

  it('an edit: prompt.images and prompt.mask reach sd15-img2img with strength from providerOptions', async () => {
    const imagegen = createImagegen({ env: emulation.env });
    const before = emulation.requests.length;
    const { image } = await generateImage({
      model: imagegen.image('@cf/runwayml/stable-diffusion-v1-5-img2img'),
      prompt: { text: 'the same room at night', images: [PNG], mask: MASK },
      providerOptions: { imagegen: { strength: 0.6, negativePrompt: 'people' } },
    });
    expect(image.uint8Array.byteLength).toBeGreaterThan(0);
    const [sent] = emulation.requests.slice(before);
    expect(sent).toMatchObject({ status: 200, input: { strength: 0.6, negative_prompt: 'people' } });
    expect(typeof sent!.input.image_b64 === 'string' && Array.isArray(sent!.input.mask)).toBe(true);
    await imagegen.close();
  });

  it('with nothing configured, the offline preview makes a real image and says so', async () => {
    const imagegen = createImagegen({ env: {} });
    const { image, warnings, providerMetadata } = await generateImage({
      model: imagegen.image('flux'),
      prompt: 'a cat on a windowsill',
      seed: 3,
    });
    expect(image.mediaType).toBe('image/jpeg');
    expect([...image.uint8Array.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(providerMetadata.imagegen!.images[0]).toMatchObject({ route: 'local', seed: 3 });
    expect(warnings.some((warning) => warning.type === 'other' && warning.message.includes('offline local preview'))).toBe(true);
    await imagegen.close();
  });

  it('an input out of its range is an APICallError, not retryable, and nothing is sent', async () => {
    const imagegen = createImagegen({ env: workerEnv() });
    const before = worker.requests.length;
    const error = await failureOf(
      generateImage({
        model: imagegen.image('flux-2-dev'),
        prompt: 'a fox',
        providerOptions: { imagegen: { steps: 999 } },
      }),
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/steps must be an integer from 1 to 50/);
    expect(error).toMatchObject({
      isRetryable: false,
      statusCode: 400,
    });
    expect(worker.requests.length).toBe(before);
    await imagegen.close();
  });

  it("Cloudflare's 5007 is final: one request, isRetryable false, the code in data", async () => {
    const imagegen = createImagegen({ env: workerEnv() });
    worker.script([cloudflareFailure(400, 5007, 'Input validation error')]);
    const before = worker.requests.length;
    const error = await failureOf(generateImage({ model: imagegen.image('lucid-origin'), prompt: 'a fox' }));
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ isRetryable: false, statusCode: 400, data: { providerCode: 5007, code: 'bad_request' } });
    expect(worker.requests.length - before).toBe(1);
    await imagegen.close();
  });

  it('3040 is retryable with its Retry-After: generateImage retries it (imagegen does not), and succeeds', async () => {
    const imagegen = createImagegen({ env: workerEnv() });
    worker.script([cloudflareFailure(429, 3040, 'Capacity temporarily exceeded', { 'retry-after': '0' })]);
    const before = worker.requests.length;
    const { image } = await generateImage({ model: imagegen.image('lucid-origin'), prompt: 'a fox' });
    expect(image.uint8Array.byteLength).toBe(PNG.byteLength);
    expect(worker.requests.length - before).toBe(2);

    worker.script([cloudflareFailure(429, 3040, 'Capacity temporarily exceeded', { 'retry-after': '0' })]);
    const error = await failureOf(generateImage({ model: imagegen.image('lucid-origin'), prompt: 'a fox', maxRetries: 0 }));
    expect(error).toMatchObject({
      isRetryable: true,
      statusCode: 429,
      responseHeaders: { 'retry-after-ms': '0' },
      data: { providerCode: 3040 },
    });
    await imagegen.close();
  });

  it('3036 (daily allocation used) is final: one request', async () => {
    const imagegen = createImagegen({ env: workerEnv() });
    worker.script([cloudflareFailure(429, 3036, 'Account limited')]);
    const before = worker.requests.length;
    const error = await failureOf(generateImage({ model: imagegen.image('lucid-origin'), prompt: 'a fox' }));
    expect(error).toMatchObject({ isRetryable: false, data: { code: 'quota_exceeded', providerCode: 3036 } });
    expect(worker.requests.length - before).toBe(1);
    await imagegen.close();
  });

  it('maxRetries on the provider: imagegen retries, and its final error is not retried again', async () => {
    const imagegen = createImagegen({ env: workerEnv(), maxRetries: 1 });
    const busy = cloudflareFailure(429, 3040, 'Capacity temporarily exceeded', { 'retry-after': '0' });
    worker.script([busy, busy]);
    const before = worker.requests.length;
    const error = await failureOf(generateImage({ model: imagegen.image('lucid-origin'), prompt: 'a fox' }));
    expect(error).toMatchObject({ isRetryable: false, data: { providerCode: 3040, attempts: 2 } });
    expect(worker.requests.length - before).toBe(2);
    await imagegen.close();
  });
});

describe('the provider', () => {
  const imagegen = createImagegen({ env: {} });
  afterAll(() => imagegen.close());
  const call = (model: string, extra: Record<string, unknown>) =>
    failureOf(generateImage6({ model: imagegen.image(model), prompt: 'a fox', ...extra }));

  it('refuses an unknown providerOptions key, naming the closest, and JSON names', async () => {
    expect((await call('flux-2-dev', { providerOptions: { imagegen: { stepz: 4 } } })).message).toBe(
      "providerOptions.imagegen: unknown field 'stepz' (did you mean 'steps'?)",
    );
    expect((await call('sdxl', { providerOptions: { imagegen: { negative_prompt: 'x' } } })).message).toBe(
      'providerOptions.imagegen.negative_prompt: say negativePrompt',
    );
    expect((await call('sdxl', { providerOptions: { imagegen: { width: 512 } } })).message).toMatch(/size: "WIDTHxHEIGHT"/);
    expect((await call('sdxl', { providerOptions: { imagegen: { steps: '4' } } })).message).toBe(
      'providerOptions.imagegen.steps must be an integer',
    );
  });

  it('says which settings a model has no input for: never dropped silently', async () => {
    const { warnings } = await generateImage6({ model: imagegen.image('flux'), prompt: 'a fox', size: '512x512', aspectRatio: '1:1' });
    expect(warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'size' }));
    expect(warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'aspectRatio' }));
    const partner = await generateImage6({ model: imagegen.image('imagen-4'), prompt: 'a fox', seed: 4, aspectRatio: '16:9' });
    expect(partner.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'seed' }));
    expect(partner.warnings).not.toContainEqual(expect.objectContaining({ feature: 'aspectRatio' }));
  });

  it("an aspect ratio becomes a size of the model's default area on models with width and height", async () => {
    const emulated = createImagegen({ env: emulation.env });
    const before = emulation.requests.length;
    await generateImage6({ model: emulated.image('sdxl'), prompt: 'a fox', aspectRatio: '16:9' });
    expect(emulation.requests[before]!.input).toMatchObject({ width: 1344, height: 768 });
    await emulated.close();
  });

  it('NoSuchModelError for a model imagegen does not have; images only', () => {
    expect(() => imagegen.image('dall-e-3')).toThrow(NoSuchModelError);
    expect(() => imagegen.languageModel('gpt')).toThrow(/images only/);
  });

  it('headers reach the upstream; the abort signal stops the call', async () => {
    const remote = createImagegen({ env: workerEnv() });
    const before = worker.requests.length;
    await generateImage6({ model: remote.image('lucid-origin'), prompt: 'a fox', headers: { 'x-trace': 'abc' } });
    expect(worker.requests[before]!.headers['x-trace']).toBe('abc');
    const refused = await failureOf(
      generateImage6({
        model: remote.image('lucid-origin'),
        prompt: 'a fox',
        headers: { authorization: 'Bearer x' },
      }),
    );
    expect(refused.message).toMatch(/authorization is set by the rest route itself/);
    const stop = new AbortController();
    worker.script([{ holdUntil: new Promise(() => {}) }]);
    const pending = failureOf(generateImage6({ model: remote.image('lucid-origin'), prompt: 'a fox', abortSignal: stop.signal }));
    while (worker.requests.length < before + 2) await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
    await remote.close();
  });

  it('in a Worker: over the binding (env.AI), with the inputs the binding takes', async () => {
    const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
    const ai: WorkersAiBinding = {
      run: async (model, inputs) => {
        calls.push({ model, inputs });
        return { image: PNG.toString('base64') };
      },
    };
    const bound = createImagegen({ ai });
    const { providerMetadata } = await generateImage6({
      model: bound.image('lucid-origin'),
      prompt: 'a fox',
      seed: 9,
      size: '1024x768',
      providerOptions: { imagegen: { guidance: 5 } },
    });
    expect(providerMetadata.imagegen!.images[0]).toMatchObject({ route: 'binding', seed: 9 });
    expect(calls).toEqual([
      {
        model: '@cf/leonardo/lucid-origin',
        inputs: { prompt: 'a fox', seed: 9, width: 1024, height: 768, guidance: 5 },
      },
    ]);
  });
});
