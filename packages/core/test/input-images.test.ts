import { makePng, TINY_GIF, TINY_JPEG, TINY_WEBP } from '@imagegen/testkit';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/index.js';
import { imageSize } from '../src/internal.js';
import { makeGenerator, PNG_BYTES, useMsw } from './support/harness.js';

const server = useMsw();
const REST = 'https://api.cloudflare.com/client/v4/accounts/acc/ai/run';
const rest = () =>
  makeGenerator({ settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'cf-token-0123' }), retry: { retries: 0 } });
const image = makePng(64, 48, [200, 30, 30]);
const mask = makePng(64, 48, [255, 255, 255]);

describe('input images', () => {
  it('reads the size of PNG and WebP headers; a JPEG without a frame header has none', () => {
    expect(imageSize(image)).toEqual({ width: 64, height: 48 });
    expect(imageSize(TINY_WEBP)).toEqual({ width: 1, height: 1 });
    expect(imageSize(TINY_JPEG)).toBeUndefined();
  });

  it('go to Workers AI as image_b64 and a mask byte array, with strength, on the REST route', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post(`${REST}/@cf/runwayml/stable-diffusion-v1-5-inpainting`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } });
      }),
    );
    const { generator } = rest();
    const result = await generator.generate('sd15-inpainting', 'a fox', { image, mask, strength: 0.4, seed: 1 });
    expect(result).toMatchObject({ ok: true, route: 'rest' });
    expect(body).toEqual({
      prompt: 'a fox',
      strength: 0.4,
      seed: 1,
      image_b64: Buffer.from(image).toString('base64'),
      mask: Array.from(mask),
    });
  });

  it.each([
    ['a text file', { image: new TextEncoder().encode('not an image at all, just words') }, 'image must be a PNG, JPEG or WebP image'],
    ['a GIF', { image: TINY_GIF }, 'image must be a PNG, JPEG or WebP image'],
    ['a truncated PNG', { image: image.subarray(0, image.length - 10) }, 'image is truncated'],
    ['a mask of another size', { image, mask: makePng(32, 32, [255, 255, 255]) }, 'mask is 32x32 but the image is 64x48'],
    ['a mask alone', { mask }, 'mask needs an image to go with it'],
    ['no image to a model that needs one', {}, 'sd15-inpainting needs an input image'],
  ])('%s is bad_request before any request', async (_name, images, message) => {
    const { generator } = rest();
    const result = await generator.generate('sd15-inpainting', 'a fox', images);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 0 } });
    expect(!result.ok && result.error.message).toContain(message);
  });

  it('an image to a model that takes none, an image over the cap, and the SDXL worker are refused', async () => {
    const { generator } = rest();
    const flux = await generator.generate('flux', 'a fox', { image });
    expect(!flux.ok && flux.error.message).toContain('flux takes no input image');
    const capped = makeGenerator({
      settings: loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'cf-token-0123' }),
      maxInputImageBytes: 100,
    });
    const big = await capped.generator.generate('sdxl', 'a fox', { image });
    expect(!big.ok && big.error.message).toContain('image is larger than 100 bytes');
    const seed = makeGenerator();
    const refused = await seed.generator.generate('sdxl', 'a fox', { image });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!refused.ok && refused.error.message).toContain('SDXL worker (SDXL_WORKER_URL) takes no input image');
    // With another route configured, the image call goes there instead.
    server.use(
      http.post(
        `${REST}/@cf/stabilityai/stable-diffusion-xl-base-1.0`,
        () => new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } }),
      ),
    );
    const both = makeGenerator({
      settings: loadSettings({
        SDXL_WORKER_URL: 'https://sdxl.test.workers.dev/',
        SDXL_API_KEY: 'sdxl-key-0123',
        CLOUDFLARE_ACCOUNT_ID: 'acc',
        CLOUDFLARE_API_TOKEN: 'cf-token-0123',
      }),
    });
    expect(await both.generator.generate('sdxl', 'a fox', { image })).toMatchObject({ ok: true, route: 'rest' });
  });
});
