import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSchemaCheckedWorkersAi, type SchemaCheckedWorkersAi } from '@imagegen/testkit';
import OpenAI, { APIError } from 'openai';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, serve } from '../src/index.js';

// The partner models through the gateway and the official openai client, against the
// schema-checked REST emulation: OpenAI's own `quality` and `size` reach gpt-image-2 as such.
const KEY = 'partner-gateway-key';
let dir: string;
let ai: SchemaCheckedWorkersAi;
let gateway: RunningGateway;
const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-partner-gateway-'));
  ai = await startSchemaCheckedWorkersAi();
  gateway = await serve({
    port: 0,
    keys: [KEY],
    handleSignals: false,
    logger: pino({ level: 'silent' }),
    env: { ...ai.env, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' },
  });
});
afterAll(async () => {
  await gateway?.close();
  await ai?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('partner models through the gateway', () => {
  it("openai/gpt-image-2 with OpenAI's quality and size: the image from the answered URL", async () => {
    const response = await client().images.generate({
      model: 'openai/gpt-image-2',
      prompt: 'a red fox',
      quality: 'high',
      size: '1024x1536',
      response_format: 'b64_json',
    });
    expect((await sharp(Buffer.from(response.data![0]!.b64_json!, 'base64')).metadata()).format).toBe('png');
    expect(ai.requests.at(-1)).toMatchObject({ model: 'openai/gpt-image-2', input: { quality: 'high', size: '1024x1536' }, status: 200 });
  });

  it('a quality on a model without tiers: auto passes quietly, another value is said in x-imagegen-warning', async () => {
    const { response } = await client()
      .images.generate({ model: 'phoenix', prompt: 'a fox', quality: 'hd', response_format: 'b64_json' })
      .withResponse();
    expect(response.headers.get('x-imagegen-warning')).toContain('quality hd is not supported by phoenix: it has no quality tiers');
    const quiet = await client().images.generate({ model: 'phoenix', prompt: 'a fox', quality: 'auto' }).withResponse();
    expect(quiet.response.headers.get('x-imagegen-warning')).toBeNull();
  });

  it('a URL that answers 404 is an error answer naming the cause, never a half image', async () => {
    ai.partnerFiles = 'missing';
    try {
      const failed = await client()
        .images.generate({ model: 'imagen-4', prompt: 'a fox', response_format: 'b64_json' })
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(APIError);
      expect((failed as APIError).status).toBeGreaterThanOrEqual(500);
      expect((failed as APIError).message).toContain("the image's URL answered HTTP 404");
    } finally {
      ai.partnerFiles = 'image';
    }
  });
});
