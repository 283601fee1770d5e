import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue } from '@imagegen/core';
import { imageSize } from '@imagegen/core/internal';
import { createImageGenerator } from '@imagegen/core/node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPreview, startLocalWorkers, type LocalWorkers } from '../src/index.js';

let workers: LocalWorkers;
let dir: string;
beforeAll(async () => {
  workers = await startLocalWorkers();
  dir = await mkdtemp(join(tmpdir(), 'imagegen-rest-'));
});
afterAll(async () => {
  await workers.close();
  await rm(dir, { recursive: true, force: true });
});

const restEnv = () => ({
  CLOUDFLARE_ACCOUNT_ID: 'acc-123',
  CLOUDFLARE_API_TOKEN: 'token-never-shown',
  CLOUDFLARE_API_BASE_URL: workers.restBaseUrl,
  IMAGEGEN_OUTPUT_DIR: dir,
});

describe('the REST route against the local workers, every catalogue model', () => {
  it.each(catalogue.map((model) => [model.alias, model] as const))(
    '%s: a real image of its own format, at a size asked for, by the rest route, a seed returned where the schema has one',
    async (_alias, model) => {
      const generator = createImageGenerator({ env: restEnv() });
      try {
        // A model that draws a few sizes gets one of them; the others any size in range.
        const [sizeWidth, sizeHeight] = (model.sizes?.[1] ?? '320x256').split('x').map(Number) as [number, number];
        const width = model.inputs.some((input) => input.name === 'width') ? sizeWidth : undefined;
        const image = model.imageInput?.required
          ? await renderPreview({ prompt: 'start', format: 'png', width: 64, height: 64 })
          : undefined;
        const result = await generator.generate(model.alias, 'a red fox', {
          ...(width ? { width, height: sizeHeight } : {}),
          ...(image ? { image } : {}),
        });
        if (!result.ok) throw result.error;
        expect(result.route).toBe('rest');
        // A seed of imagegen's own only where the model's schema lists one (flux-1-schnell's does not).
        const schemaSeed = model.inputs.some((input) => input.name === 'seed' && input.inSchema !== false);
        expect(result.seed === undefined).toBe(!schemaSeed);
        const meta = await sharp(await readFile(result.path)).metadata();
        expect(meta.format).toBe(model.answer.format);
        expect([meta.width, meta.height]).toEqual(width ? [width, sizeHeight] : [model.defaultSize.width, model.defaultSize.height]);
      } finally {
        await generator.close();
      }
    },
  );

  it('by Workers AI id too; two calls without a seed differ, two with one seed are byte-identical', async () => {
    const generator = createImageGenerator({ env: restEnv() });
    try {
      const run = async (seed?: number) => {
        const result = await generator.generate('@cf/lykon/dreamshaper-8-lcm', 'a lighthouse', { width: 256, height: 256, seed });
        if (!result.ok) throw result.error;
        return { seed: result.seed, bytes: await readFile(result.path) };
      };
      const [a, b] = [await run(), await run()];
      expect(a.seed).not.toBe(b.seed);
      expect(a.bytes.equals(b.bytes)).toBe(false);
      const [c, d] = [await run(42), await run(42)];
      expect([c.seed, d.seed]).toEqual([42, 42]);
      expect(c.bytes.equals(d.bytes)).toBe(true);
      // The seed returned remakes the image.
      expect((await run(a.seed)).bytes.equals(a.bytes)).toBe(true);
    } finally {
      await generator.close();
    }
  });

  it('image to image: the preview starts from the input image (a red one gives a red result), the mask must match it', async () => {
    const red = new Uint8Array(
      await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 230, g: 20, b: 20 } } })
        .png()
        .toBuffer(),
    );
    const generator = createImageGenerator({ env: restEnv() });
    try {
      const redness = async (strength: number) => {
        const edited = await generator.generate('sd15-img2img', 'a fox', { image: red, strength, width: 256, height: 256, seed: 5 });
        if (!edited.ok) throw edited.error;
        const [r, g, b] = (await sharp(await readFile(edited.path)).stats()).channels.map((channel) => channel.mean);
        return r! - Math.max(g!, b!);
      };
      const [close, far] = [await redness(0.1), await redness(1)];
      expect(close).toBeGreaterThan(60);
      expect(close).toBeGreaterThan(far + 30);
      // A JPEG input too: its size is read from its frame header.
      const jpeg = new Uint8Array(await sharp(red).jpeg().toBuffer());
      expect(imageSize(jpeg)).toEqual({ width: 256, height: 256 });
      expect(await generator.generate('sdxl-lightning', 'a fox', { image: jpeg, strength: 0.5, width: 256, height: 256 })).toMatchObject({
        ok: true,
      });
      const mask = new Uint8Array(
        await sharp({ create: { width: 128, height: 128, channels: 3, background: 'white' } })
          .png()
          .toBuffer(),
      );
      const wrong = await generator.generate('sd15-inpainting', 'a fox', { image: red, mask });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 0 } });
      expect(!wrong.ok && wrong.error.message).toContain('mask is 128x128 but the image is 256x256');
      const none = await generator.generate('sd15-img2img', 'a fox');
      expect(!none.ok && none.error.message).toContain('sd15-img2img needs an input image');
    } finally {
      await generator.close();
    }
  });

  it('FLUX.2 reference images: sent as file parts, shrunk to 512, drawn side by side; a WebP answer when asked', async () => {
    const solid = async (width: number, height: number, background: { r: number; g: number; b: number }) =>
      new Uint8Array(
        await sharp({ create: { width, height, channels: 3, background } })
          .png()
          .toBuffer(),
      );
    const red = await solid(1024, 1024, { r: 230, g: 20, b: 20 });
    const blue = await solid(200, 300, { r: 20, g: 20, b: 230 });
    const generator = createImageGenerator({ env: restEnv() });
    try {
      const result = await generator.generate('flux-2-klein-4b', 'a fox', {
        image: [red, blue],
        width: 256,
        height: 256,
        outputFormat: 'webp',
      });
      if (!result.ok) throw result.error;
      expect(result).toMatchObject({ route: 'rest', contentType: 'image/webp' });
      expect(result.path.endsWith('.webp')).toBe(true);
      const halves = await Promise.all(
        [0, 128].map(async (left) =>
          // stats() reads its input, not the pipeline: the half is cut out first.
          (
            await sharp(
              await sharp(await readFile(result.path))
                .extract({ left, top: 0, width: 128, height: 256 })
                .toBuffer(),
            ).stats()
          ).channels.map((c) => c.mean),
        ),
      );
      // The left half starts from the red image, the right from the blue one.
      const blueness = halves.map(([r, , b]) => b! - r!);
      expect(blueness[1]!).toBeGreaterThan(blueness[0]! + 40);
    } finally {
      await generator.close();
    }
    // Workers AI's own limit, as the local endpoint keeps it: a part over 512x512 sent as is is refused.
    const form = new FormData();
    form.append('prompt', 'a fox');
    form.append('input_image_0', new Blob([red], { type: 'image/png' }), 'red.png');
    const refused = await fetch(`${workers.restBaseUrl}/accounts/a/ai/run/@cf/black-forest-labs/flux-2-dev`, {
      method: 'POST',
      body: form,
    });
    expect(await refused.json()).toMatchObject({
      success: false,
      errors: [{ code: 5006, message: 'input_image_0 is 1024x1024: at most 512x512' }],
    });
  });

  it('a value out of range fails before any request, naming the parameter and its range', async () => {
    const generator = createImageGenerator({ env: restEnv() });
    try {
      const result = await generator.generate('phoenix', 'a fox', { guidance: 11 });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: 'bad_request', attempts: 0 });
      expect(result.error.message).toContain('guidance must be a number from 2 to 10 for phoenix');
      const unknown = await generator.generate('lucid-origin', 'a fox', { negativePrompt: 'blur' });
      expect(!unknown.ok && unknown.error.message).toContain('lucid-origin does not take negativePrompt');
    } finally {
      await generator.close();
    }
  });

  it('the local endpoint answers like Cloudflare: envelope JSON, 5007 for an unknown model, 5006 for a bad input', async () => {
    const url = (id: string) => `${workers.restBaseUrl}/accounts/a/ai/run/${id}`;
    const ok = await fetch(url('@cf/black-forest-labs/flux-1-schnell'), {
      method: 'POST',
      body: JSON.stringify({ prompt: 'cat', seed: 1 }),
    });
    const body = (await ok.json()) as { success: boolean; result: { image: string }; errors: unknown[] };
    expect(body.success).toBe(true);
    expect(body.errors).toEqual([]);
    expect(Buffer.from(body.result.image, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const unknown = await fetch(url('@cf/nobody/nothing'), { method: 'POST', body: '{"prompt":"cat"}' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ success: false, errors: [{ code: 5007 }] });
    const bad = await fetch(url('@cf/leonardo/phoenix-1.0'), { method: 'POST', body: '{"prompt":"cat","num_steps":99}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      success: false,
      errors: [{ code: 5006, message: 'steps must be an integer from 1 to 50 for phoenix' }],
    });
    const notMultipart = await fetch(url('@cf/black-forest-labs/flux-2-dev'), { method: 'POST', body: '{"prompt":"cat"}' });
    expect(await notMultipart.json()).toMatchObject({ success: false, errors: [{ code: 5006 }] });
  });
});
