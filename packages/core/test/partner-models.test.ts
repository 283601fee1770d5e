import { startSchemaCheckedWorkersAi, type SchemaCheckedWorkersAi, TINY_PNG } from '@imagegen/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findModel, loadSettings, type ImageGeneratorOptions } from '../src/index.js';
import { makeGenerator } from './support/harness.js';

// The partner models against the loopback REST emulation: `{ model, input }` to /ai/run, an
// answer naming the image's URL, the image downloaded from it as any image is checked and stored.
let ai: SchemaCheckedWorkersAi;
beforeAll(async () => {
  ai = await startSchemaCheckedWorkersAi();
});
afterAll(() => ai.close());
afterEach(() => {
  ai.partnerFiles = 'image';
});

const generator = (options: Partial<ImageGeneratorOptions> = {}) =>
  makeGenerator({ settings: loadSettings(ai.env), retry: { retries: 0 }, ...options });

describe('the partner models', () => {
  it('gpt-image-2: { model, input } goes to /ai/run, and the image at the answered URL is saved, fetched without the token', async () => {
    const { generator: images, store } = generator();
    const result = await images.generate('openai/gpt-image-2', 'a fox', { qualityTier: 'high', width: 1024, height: 1536 });
    if (!result.ok) throw result.error;
    expect(result).toMatchObject({ model: 'gpt-image-2', route: 'rest', contentType: 'image/png' });
    expect(store.files.get(result.path)?.subarray(0, 4)).toEqual(Uint8Array.from([0x89, 0x50, 0x4e, 0x47]));
    expect(ai.requests.at(-1)).toMatchObject({
      model: 'openai/gpt-image-2',
      input: { prompt: 'a fox', quality: 'high', size: '1024x1536' },
      status: 200,
    });
    expect(ai.downloads.at(-1)).toMatchObject({ authorization: undefined });
  });

  it('edits: gpt-image-2 takes its images as a base64 list, flux-2-pro-preview as data URLs', async () => {
    const { generator: images } = generator();
    expect(await images.generate('gpt-image-2', 'make it blue', { image: [TINY_PNG, TINY_PNG] })).toMatchObject({ ok: true });
    expect(ai.requests.at(-1)?.input.images).toEqual([TINY_PNG.toString('base64'), TINY_PNG.toString('base64')]);
    expect(await images.generate('flux-2-pro-preview', 'a fox', { image: TINY_PNG, width: 512, height: 768 })).toMatchObject({ ok: true });
    expect(ai.requests.at(-1)?.input).toMatchObject({
      width: 512,
      height: 768,
      input_images: [`data:image/png;base64,${TINY_PNG.toString('base64')}`],
    });
  });

  it("inputs are checked against the model before any request: sizes go together, tiers and ratios are the model's", async () => {
    const { generator: images } = generator();
    const before = ai.requests.length;
    const cases: Array<[string, object, string]> = [
      ['gpt-image-2', { width: 1024 }, 'height must go with width as one of the sizes 1024x1024, 1536x1024, 1024x1536 for gpt-image-2'],
      ['gpt-image-1.5', { width: 1536, height: 1536 }, 'as one of the sizes'],
      ['gpt-image-2', { qualityTier: 'ultra' }, 'qualityTier must be one of low, medium, high, auto for gpt-image-2'],
      ['imagen-4', { aspectRatio: '2:1' }, 'aspectRatio must be one of 1:1, 3:4, 4:3, 9:16, 16:9 for imagen-4'],
      ['imagen-4', { steps: 4 }, 'imagen-4 does not take steps (it takes aspectRatio)'],
    ];
    for (const [model, options, message] of cases) {
      const result = await images.generate(model, 'a fox', options);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(!result.ok && result.error.message).toContain(message);
    }
    expect(ai.requests.length).toBe(before);
  });

  it.each([
    // A 404 stays a 404 (not retried); a page in place of the image is retried like any bad body.
    ['missing' as const, "the image's URL answered HTTP 404"],
    ['not-image' as const, 'expected an image, got content-type text/html'],
  ])('a URL that answers %s fails typed, and leaves no file', async (mode, detail) => {
    ai.partnerFiles = mode;
    const { generator: images, store } = generator();
    const result = await images.generate('imagen-4', 'a fox', { aspectRatio: '16:9' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
    expect(!result.ok && result.error.message).toContain(detail);
    expect(store.files.size).toBe(0);
  });

  it('an image over the size cap fails as too_large, and leaves no file', async () => {
    ai.partnerFiles = { tooLarge: 3 * 1024 * 1024 };
    const { generator: images, store } = generator({ maxImageBytes: 1024 * 1024 });
    const result = await images.generate('gpt-image-1.5', 'a fox');
    expect(result).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(store.files.size).toBe(0);
  });

  it('are catalogue entries marked as partners, billed in dollars', () => {
    for (const name of ['gpt-image-2', 'gpt-image-1.5', 'imagen-4', 'flux-2-pro-preview']) {
      expect(findModel(name)).toMatchObject({ partner: true, send: 'model-input', answer: { encoding: 'url' } });
    }
  });

  it('with only a worker configured, a partner model says which settings reach it', async () => {
    const { generator: images } = makeGenerator({ settings: loadSettings({ IMAGEGEN_WORKER_URL: 'https://imagegen.test.workers.dev' }) });
    const result = await images.generate('gpt-image-2', 'a fox');
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    expect(!result.ok && result.error.message).toContain('partner model, reached by the Workers AI REST API or AI Gateway');
  });
});
