import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue } from '@imagegen/core';
import { startLocalWorkers, type LocalWorkers } from '@imagegen/workers';
import OpenAI, { BadRequestError, toFile } from 'openai';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, serve } from '../src/index.js';

const GATEWAY_KEY = 'catalogue-gateway-key';
const TOKEN = 'cf-gateway-token-SECRET-0123456789';
let dir: string;
let local: LocalWorkers;
let gateway: RunningGateway;

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: GATEWAY_KEY, maxRetries: 0 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-catalogue-gateway-'));
  local = await startLocalWorkers();
  gateway = await serve({
    port: 0,
    keys: [GATEWAY_KEY],
    handleSignals: false,
    logger: pino({ level: 'silent' }),
    env: {
      CLOUDFLARE_ACCOUNT_ID: 'acc',
      CLOUDFLARE_API_TOKEN: TOKEN,
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

describe('every catalogue model through the gateway, the REST route, the official openai client', () => {
  // The generations endpoint carries no input image: the models that need one are for edits.
  it.each(catalogue.filter((model) => !model.imageInput?.required).map((model) => [model.alias, model] as const))(
    '%s by its Workers AI id: a real image of its format and size',
    async (_alias, model) => {
      const sized = model.inputs.some((input) => input.name === 'width');
      // A model that draws a few sizes gets one of them; the others any size in range.
      const size = model.sizes?.[1] ?? '320x256';
      const response = await client().images.generate({
        model: model.id,
        prompt: 'a red fox',
        response_format: 'b64_json',
        ...(sized ? { size: size as '256x256' } : {}),
      });
      const meta = await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata();
      expect(meta.format).toBe(model.answer.format);
      const [width, height] = size.split('x').map(Number);
      expect([meta.width, meta.height]).toEqual(sized ? [width, height] : [model.defaultSize.width, model.defaultSize.height]);
    },
  );

  it.each(catalogue.filter((model) => model.imageInput?.required).map((model) => [model.alias, model] as const))(
    '%s (needs an input image) by images.edit: a real image of its format and size',
    async (_alias, model) => {
      const start = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'blue' } })
        .png()
        .toBuffer();
      const mask = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'white' } })
        .png()
        .toBuffer();
      const response = await client().images.edit({
        model: model.id,
        prompt: 'a red fox',
        image: await toFile(start, 'start.png', { type: 'image/png' }),
        ...(model.imageInput?.mask ? { mask: await toFile(mask, 'mask.png', { type: 'image/png' }) } : {}),
        response_format: 'b64_json',
        size: '320x256' as '256x256',
      });
      const meta = await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([model.answer.format, 320, 256]);
    },
  );

  it("takes the model's inputs as extra body fields, and refuses one out of range with the model's range", async () => {
    const response = await client().images.generate({
      model: 'phoenix',
      prompt: 'a lighthouse',
      response_format: 'b64_json',
      // @ts-expect-error -- imagegen's extra fields, beyond OpenAI's
      steps: 10,
      guidance: 4,
      negative_prompt: 'blur',
      width: 256,
      height: 288,
    });
    const meta = await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 256, 288]);
    const refused = await client()
      .images.generate({ model: 'phoenix', prompt: 'x', size: '4096x4096' as '256x256' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as BadRequestError).message).toContain('width must be an integer from 64 to 2048 for phoenix');
    expect((refused as BadRequestError).param).toBe('size');
    // imagegen's extra field, beyond OpenAI's: passed as a variable, as an app that adds it does.
    const foreignBody = { model: 'lucid-origin', prompt: 'x', negative_prompt: 'blur' };
    const foreign = await client()
      .images.generate(foreignBody)
      .catch((error: unknown) => error);
    expect((foreign as BadRequestError).param).toBe('negative_prompt');
    expect(JSON.stringify(foreign)).not.toContain(TOKEN);
  });

  it('n: 3 gives three different images, each with its own seed; a fixed seed gives seed, seed+1, seed+2', async () => {
    const three = await client().images.generate({
      model: 'sdxl-lightning',
      prompt: 'a fox',
      n: 3,
      size: '256x256',
      response_format: 'b64_json',
    });
    const images = three.data!.map((image) => image.b64_json!);
    expect(new Set(images).size).toBe(3);
    const seeds = three.data!.map((image) => (image as { seed?: number }).seed);
    expect(new Set(seeds).size).toBe(3);
    const fixed = await client().images.generate({
      model: 'sdxl-lightning',
      prompt: 'a fox',
      n: 3,
      size: '256x256',
      response_format: 'b64_json',
      seed: 10,
    } as never);
    expect(fixed.data!.map((image) => (image as { seed?: number }).seed)).toEqual([10, 11, 12]);
  });

  it('stream: true answers image_generation.completed events that the openai client decodes', async () => {
    const stream = await client().images.generate({
      model: 'lucid-origin',
      prompt: 'a fox',
      n: 2,
      size: '256x256',
      stream: true,
      partial_images: 2,
    });
    const events: Array<{ type: string; b64_json: string; output_format: string; size: string }> = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['image_generation.completed', 'image_generation.completed']);
    for (const event of events) {
      expect(event).toMatchObject({ output_format: 'jpeg', size: '256x256' });
      expect(await sharp(Buffer.from(event.b64_json, 'base64')).metadata()).toMatchObject({ format: 'jpeg', width: 256, height: 256 });
    }
  });

  it('output_format converts what the model answers: the bytes, the stored file and its content type match', async () => {
    const png = await client().images.generate({ model: 'flux', prompt: 'a fox', output_format: 'png', response_format: 'b64_json' });
    expect(await sharp(Buffer.from(png.data![0]!.b64_json!, 'base64')).metadata()).toMatchObject({ format: 'png' });
    const webp = await client().images.generate({
      model: 'sdxl',
      prompt: 'a fox',
      size: '256x256',
      output_format: 'webp',
      output_compression: 60,
    });
    const file = await fetch(webp.data![0]!.url!, { headers: { authorization: `Bearer ${GATEWAY_KEY}` } });
    expect(file.headers.get('content-type')).toBe('image/webp');
    expect(webp.data![0]!.url).toMatch(/\.webp$/);
    expect(await sharp(Buffer.from(await file.arrayBuffer())).metadata()).toMatchObject({ format: 'webp', width: 256 });
    const same = await client().images.generate({ model: 'flux', prompt: 'a fox', output_format: 'jpeg', response_format: 'b64_json' });
    expect(await sharp(Buffer.from(same.data![0]!.b64_json!, 'base64')).metadata()).toMatchObject({ format: 'jpeg' });
    const wrong = await client()
      .images.generate({ model: 'flux', prompt: 'a fox', output_format: 'gif' as 'png' })
      .catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(BadRequestError);
    expect((wrong as BadRequestError).param).toBe('output_format');
  });

  it('/v1/models lists the catalogue, aliases and ids', async () => {
    const models = await client().models.list();
    const ids = models.data.map((model) => model.id);
    for (const model of catalogue) expect(ids).toEqual(expect.arrayContaining([model.alias, model.id]));
  });
});
