import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NEVER, startTestWorker, type TestWorker } from '@imagegen/testkit';
import { startLocalWorkers, type LocalWorkers } from '@imagegen/workers';
import OpenAI, { BadRequestError, InternalServerError, RateLimitError } from 'openai';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningGateway, serve } from '../src/index.js';

const GATEWAY_KEY = 'openai-client-test-key';
let dir: string;
let local: LocalWorkers;
let testkit: TestWorker;
let overLocal: RunningGateway;
let overTestkit: RunningGateway;

const client = (gateway: RunningGateway) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: GATEWAY_KEY, maxRetries: 0 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-openai-'));
  local = await startLocalWorkers();
  testkit = await startTestWorker();
  const common = { port: 0, keys: [GATEWAY_KEY], handleSignals: false, logger: pino({ level: 'silent' }) };
  overLocal = await serve({ ...common, env: { ...local.env, IMAGEGEN_OUTPUT_DIR: join(dir, 'local'), IMAGEGEN_LOG_LEVEL: 'silent' } });
  overTestkit = await serve({
    ...common,
    // Its tests script 429s on purpose: without pacing, the next test's request is not held for their Retry-After.
    env: {
      FLUX_WORKER_URL: testkit.fluxUrl,
      IMAGEGEN_OUTPUT_DIR: join(dir, 'testkit'),
      IMAGEGEN_LOG_LEVEL: 'silent',
      IMAGEGEN_ADAPTIVE: '0',
    },
    generatorOptions: { retry: { retries: 0 } },
  });
});
afterAll(async () => {
  await overLocal?.close();
  await overTestkit?.close();
  await local?.close();
  await testkit?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the official openai client, unmodified, against the gateway', () => {
  it('images.generate with b64_json returns a valid image', async () => {
    const response = await client(overLocal).images.generate({
      model: 'sdxl',
      prompt: 'a red fox',
      response_format: 'b64_json',
      size: '512x512',
    });
    const bytes = Buffer.from(response.data![0]!.b64_json!, 'base64');
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'png', width: 512, height: 512 });
  });

  it('images.generate with url returns a URL that serves a valid image', async () => {
    const response = await client(overLocal).images.generate({ model: 'flux', prompt: 'a lighthouse', n: 2 });
    expect(response.data).toHaveLength(2);
    const image = await fetch(response.data![0]!.url!);
    expect(image.status).toBe(200);
    expect(await sharp(Buffer.from(await image.arrayBuffer())).metadata()).toMatchObject({ format: 'jpeg', width: 1024 });
  });

  it("an upstream 400 is the client's BadRequestError with our message", async () => {
    testkit.script([{ status: 400 }]);
    const error = await client(overTestkit)
      .images.generate({ model: 'flux', prompt: 'a cat' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain('Invalid prompt or request format');
  });

  it('our own validation is a BadRequestError naming the param', async () => {
    const error = await client(overTestkit)
      .images.generate({ model: 'sdxl', prompt: 'a cat', size: '1024x4096' as '1024x1024' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('size');
  });

  it("size 1024x1024, as OpenAI's clients send by habit, makes flux's image; another size makes it too, with a warning", async () => {
    const sizes = [
      ['1024x1024', null],
      ['512x512', 'size 512x512 is not supported by flux: it draws 1024x1024'],
    ] as const;
    for (const [size, warning] of sizes) {
      const request = { model: 'flux', prompt: 'a cat', size, response_format: 'b64_json' } as const;
      const { data, response } = await client(overTestkit).images.generate(request).withResponse();
      expect(data.data?.[0]?.b64_json).toBeTruthy();
      expect(response.headers.get('x-imagegen-warning')).toBe(warning);
    }
  });

  it('an upstream 429 is RateLimitError', async () => {
    testkit.script([{ status: 429, headers: { 'retry-after': '3' } }]);
    const error = await client(overTestkit)
      .images.generate({ model: 'flux', prompt: 'a cat' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers?.get('retry-after')).toBe('3');
  });

  it('an upstream 5xx is InternalServerError with our message', async () => {
    testkit.script([{ status: 503 }]);
    const error = await client(overTestkit)
      .images.generate({ model: 'flux', prompt: 'a cat' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(502);
    expect((error as InternalServerError).message).toContain('Service error');
  });

  it('a streaming client that disconnects cancels its generation: the upstream request is given up', async () => {
    testkit.script([{ holdUntil: NEVER }]);
    const before = testkit.requests.length;
    const controller = new AbortController();
    const pending = fetch(`${overTestkit.url}/v1/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'flux', prompt: 'a slow fox', stream: true }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(testkit.requests.length).toBe(before + 1));
    controller.abort();
    await pending;
    const aborted = /imagegen_generation_duration_seconds_count\{model="flux",outcome="aborted"\} 1/;
    const metrics = async () => (await fetch(`${overTestkit.url}/metrics`, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } })).text();
    await vi.waitFor(async () => expect(await metrics()).toMatch(aborted), { timeout: 5000 });
    const active = await metrics();
    expect(active).toMatch(/imagegen_generations_active(\{[^}]*\})? 0/);
  });

  it('models.list works', async () => {
    const ids = [];
    for await (const model of client(overTestkit).models.list()) ids.push(model.id);
    expect(ids).toContain('sdxl');
  });
});
