import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalAi, startLocalWorkers, type LocalWorkers } from '@imagegen/workers';
import OpenAI, { APIError, BadRequestError, toFile } from 'openai';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, serve } from '../src/index.js';

const KEY = 'edits-key';
let dir: string;
let local: LocalWorkers;
let gateway: RunningGateway;
const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
const solid = async (width: number, height: number, background: string) =>
  new Uint8Array(
    await sharp({ create: { width, height, channels: 3, background } })
      .png()
      .toBuffer(),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-edits-'));
  const ai = createLocalAi();
  local = await startLocalWorkers({
    ai: {
      run: (model, inputs) => {
        calls.push({ model, inputs });
        return ai.run(model, inputs);
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
      CLOUDFLARE_API_TOKEN: 'tok',
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

describe('POST /v1/images/edits with the official openai client', () => {
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
    const attempt = async (body: Parameters<OpenAI['images']['edit']>[0]): Promise<APIError> => {
      try {
        await client().images.edit(body);
      } catch (error) {
        if (error instanceof APIError) return error;
        throw error;
      }
      throw new Error('the edit was expected to fail');
    };
    calls.length = 0;
    const before = await readdir(dir);
    const text = await attempt({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await toFile(Buffer.from('just some words, not a picture'), 'a.png', { type: 'image/png' }),
    });
    expect([text.status, (text as BadRequestError).param]).toEqual([400, 'image']);
    const truncated = await attempt({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await toFile(image.subarray(0, image.length - 20), 'a.png', { type: 'image/png' }),
    });
    expect(truncated.message).toContain('image is truncated');
    const mask = await attempt({
      model: 'sd15-inpainting',
      prompt: 'x',
      image: await toFile(image, 'a.png', { type: 'image/png' }),
      mask: await toFile(await solid(32, 32, 'white'), 'm.png', { type: 'image/png' }),
    });
    expect([mask.status, (mask as BadRequestError).param]).toEqual([400, 'mask']);
    const five = await attempt({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await Promise.all([1, 2, 3, 4, 5].map((index) => toFile(image, `${index}.png`, { type: 'image/png' }))),
    });
    expect([five.status, (five as BadRequestError).param]).toEqual([400, 'image']);
    const huge = await attempt({
      model: 'sd15-img2img',
      prompt: 'x',
      image: await toFile(Buffer.alloc(30 * 1024 * 1024), 'big.png', { type: 'image/png' }),
    });
    expect(huge.status).toBe(413);
    expect(calls).toHaveLength(0);
    expect(await readdir(dir)).toEqual(before);
  });

  it('variations answer a 400 that points at edits', async () => {
    const response = await fetch(`${gateway.url}/v1/images/variations`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('/v1/images/edits');
  });
});
