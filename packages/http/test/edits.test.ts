import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalAi, startLocalWorkers, type LocalWorkers } from '@imagegen/workers';
import OpenAI, { toFile } from 'openai';
import OpenAIv7 from 'openai-v7';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, serve } from '../src/index.js';
import { expectClientError, solidPng as solid } from './support/openai-clients.js';

const KEY = 'edits-key';
let dir: string;
let local: LocalWorkers;
let gateway: RunningGateway;
const calls: Array<{ model: string; inputs: Record<string, unknown>; form?: FormData }> = [];

// Both majors of the official client: the one the gateway's other tests use, and v7 (CI runs
// every test on Node 20 and on Node 24). v7's calls have the same shape; typed as v6 here.
const CLIENTS = [
  ['6', OpenAI],
  ['7', OpenAIv7 as unknown as typeof OpenAI],
] as const;
let Client: typeof OpenAI = OpenAI;
const client = () => new Client({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });

/** The APIError an edit that must fail answers. */
const failedEdit = (body: Parameters<OpenAI['images']['edit']>[0]) => expectClientError(() => client().images.edit(body));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-edits-'));
  const ai = createLocalAi();
  local = await startLocalWorkers({
    ai: {
      run: async (model, inputs) => {
        const multipart = inputs.multipart as { body: BodyInit; contentType: string } | undefined;
        if (!multipart) {
          calls.push({ model, inputs });
          return ai.run(model, inputs);
        }
        // A multipart body is read once: kept as a form for the test, sent on re-encoded.
        const form = await new Response(multipart.body, { headers: { 'content-type': multipart.contentType } }).formData();
        calls.push({ model, inputs, form });
        const encoded = new Response(form);
        return ai.run(model, { multipart: { body: encoded.body, contentType: encoded.headers.get('content-type') } });
      },
    },
  });
  gateway = await serve({
    port: 0,
    keys: [KEY],
    handleSignals: false,
    logger: pino({ level: 'silent' }),
    env: {
      CLOUDFLARE_ACCOUNT_ID: 'acc',
      CLOUDFLARE_API_TOKEN: 'cf-token-0123',
      CLOUDFLARE_API_BASE_URL: local.restBaseUrl,
      IMAGEGEN_OUTPUT_DIR: dir,
      IMAGEGEN_LOG_LEVEL: 'silent',
    },
  });
});
afterAll(async () => {
  await gateway?.close();
  await local?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(CLIENTS)('POST /v1/images/edits with the official openai client v%s', (_major, Class) => {
  beforeAll(() => {
    Client = Class;
  });

  it('an image and a mask reach the model as Workers AI takes them, with strength; the answer is an image', async () => {
    const image = await solid(128, 96, 'red');
    const mask = await solid(128, 96, 'white');
    calls.length = 0;
    const response = await client().images.edit({
      model: 'sd15-inpainting',
      image: await toFile(image, 'photo.png', { type: 'image/png' }),
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      prompt: 'a red fox',
      size: '256x256',
      response_format: 'b64_json',
      // @ts-expect-error -- imagegen's extra field
      strength: 0.4,
    });
    const meta = await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 256, 256]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.model).toBe('@cf/runwayml/stable-diffusion-v1-5-inpainting');
    expect(calls[0]!.inputs).toMatchObject({
      prompt: 'a red fox',
      strength: 0.4,
      width: 256,
      height: 256,
      image_b64: Buffer.from(image).toString('base64'),
      mask: Array.from(mask),
    });
  });

  it('stream: true answers image_edit.completed events', async () => {
    const stream = await client().images.edit({
      model: 'sdxl-lightning',
      image: await toFile(await solid(64, 64, 'blue'), 'in.png', { type: 'image/png' }),
      prompt: 'a whale',
      size: '256x256',
      stream: true,
    });
    const events: Array<{ type: string; b64_json: string }> = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['image_edit.completed']);
    expect(await sharp(Buffer.from(events[0]!.b64_json, 'base64')).metadata()).toMatchObject({ format: 'png', width: 256 });
  });

  it('bad uploads are OpenAI-shaped 4xx, with no upstream call and nothing left on disk', async () => {
    const image = await solid(64, 64, 'red');
    calls.length = 0;
    const before = await readdir(dir);
    const text = await failedEdit({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await toFile(Buffer.from('just some words, not a picture'), 'a.png', { type: 'image/png' }),
    });
    expect([text.status, text.param]).toEqual([400, 'image']);
    const truncated = await failedEdit({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await toFile(image.subarray(0, image.length - 20), 'a.png', { type: 'image/png' }),
    });
    expect(truncated.message).toContain('image is truncated');
    const mask = await failedEdit({
      model: 'sd15-inpainting',
      prompt: 'x',
      image: await toFile(image, 'a.png', { type: 'image/png' }),
      mask: await toFile(await solid(32, 32, 'white'), 'm.png', { type: 'image/png' }),
    });
    expect([mask.status, mask.param]).toEqual([400, 'mask']);
    const five = await failedEdit({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await Promise.all([1, 2, 3, 4, 5].map((index) => toFile(image, `${index}.png`, { type: 'image/png' }))),
    });
    expect([five.status, five.param]).toEqual([400, 'image']);
    const huge = await failedEdit({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await toFile(Buffer.alloc(30 * 1024 * 1024), 'big.png', { type: 'image/png' }),
    });
    expect(huge.status).toBe(413);
    expect(calls).toHaveLength(0);
    expect(await readdir(dir)).toEqual(before);
  });

  it('several images go to FLUX.2 as input_image_0..n file parts, one over 512x512 shrunk; a model of one image says which take more', async () => {
    const [red, blue, big] = [await solid(64, 64, 'red'), await solid(48, 80, 'blue'), await solid(1200, 900, 'green')];
    calls.length = 0;
    const response = await client().images.edit({
      model: 'flux-2-klein-9b',
      image: [
        await toFile(red, 'red.png', { type: 'image/png' }),
        await toFile(blue, 'blue.png', { type: 'image/png' }),
        await toFile(big, 'big.png', { type: 'image/png' }),
      ],
      prompt: 'the three of them together',
      size: '256x256',
      response_format: 'b64_json',
      output_format: 'jpeg',
    });
    expect(await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata()).toMatchObject({ format: 'jpeg', width: 256 });
    expect(calls).toHaveLength(1);
    const form = calls[0]!.form!;
    expect(calls[0]!.model).toBe('@cf/black-forest-labs/flux-2-klein-9b');
    expect([...form.keys()].sort()).toEqual(['height', 'input_image_0', 'input_image_1', 'input_image_2', 'prompt', 'seed', 'width']);
    const part = async (name: string) => Buffer.from(await (form.get(name) as File).arrayBuffer());
    expect(await part('input_image_0')).toEqual(Buffer.from(red));
    expect(await part('input_image_1')).toEqual(Buffer.from(blue));
    expect(await sharp(await part('input_image_2')).metadata()).toMatchObject({ width: 512, height: 384 });

    const one = await failedEdit({
      model: 'sd15-img2img',
      image: [await toFile(red, 'a.png', { type: 'image/png' }), await toFile(blue, 'b.png', { type: 'image/png' })],
      prompt: 'x',
    });
    expect([one.status, one.param]).toEqual([400, 'image']);
    expect(one.message).toContain(
      'sd15-img2img takes one input image (2 were given); flux-2-dev, flux-2-klein-4b, flux-2-klein-9b, gpt-image-2, flux-2-pro-preview take up to 4',
    );
    expect(calls).toHaveLength(1);
  });

  it('output_format converts on edits too, stream included; output_compression only with jpeg or webp', async () => {
    const image = await toFile(await solid(64, 64, 'red'), 'in.png', { type: 'image/png' });
    const stream = await client().images.edit({
      model: 'sd15-img2img',
      image,
      prompt: 'a whale',
      size: '256x256',
      stream: true,
      output_format: 'webp',
      output_compression: 40,
    });
    const events: Array<{ type: string; b64_json: string; output_format: string }> = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => [event.type, event.output_format])).toEqual([['image_edit.completed', 'webp']]);
    expect(await sharp(Buffer.from(events[0]!.b64_json, 'base64')).metadata()).toMatchObject({ format: 'webp', width: 256 });
    const png = await failedEdit({ model: 'sd15-img2img', image, prompt: 'x', output_format: 'png', output_compression: 50 });
    expect([png.status, png.param]).toEqual([400, 'output_compression']);
    expect(png.message).toContain('output_compression applies to jpeg and webp, not png');
  });

  it('generations: stream events decode, output_format converts, n: 3 gives three different images with their seeds', async () => {
    const stream = await client().images.generate({
      model: 'sdxl',
      prompt: 'a lake',
      size: '256x256',
      stream: true,
      output_format: 'jpeg',
    });
    const events: Array<{ type: string; b64_json: string; output_format: string }> = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => [event.type, event.output_format])).toEqual([['image_generation.completed', 'jpeg']]);
    expect(await sharp(Buffer.from(events[0]!.b64_json, 'base64')).metadata()).toMatchObject({ format: 'jpeg', width: 256 });
    // A model whose schema lists a seed (flux-1-schnell's does not, so flux gets none of imagegen's own).
    const three = await client().images.generate({
      model: 'lucid-origin',
      prompt: 'a lake',
      n: 3,
      response_format: 'b64_json',
      output_format: 'webp',
    });
    const images = three.data!.map((image) => image.b64_json!);
    expect(new Set(images).size).toBe(3);
    for (const image of images) expect(await sharp(Buffer.from(image, 'base64')).metadata()).toMatchObject({ format: 'webp' });
    const seeds = three.data!.map((image) => (image as { seed?: number }).seed);
    expect(new Set(seeds).size).toBe(3);
  });

  it('variations answer a 400 that points at edits', async () => {
    const response = await fetch(`${gateway.url}/v1/images/variations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('/v1/images/edits');
  });
});
