import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePng } from '@imagegen/testkit';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImageCodec, loadSettings } from '../src/index.js';
import { imageSize, sniffImage } from '../src/internal.js';
import { readImageFile, sharpCodec } from '../src/node/index.js';
import { makeGenerator, useMsw } from './support/harness.js';

const server = useMsw();
const REST = 'https://api.cloudflare.com/client/v4/accounts/acc/ai/run';
const settings = loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'cf-token-0123' });
const codec = sharpCodec();
const rest = (extra: Parameters<typeof makeGenerator>[0] = {}) =>
  makeGenerator({ settings, retry: { retries: 0 }, codec, readImageFile, ...extra });
const red = new Uint8Array(makePng(64, 48, [200, 30, 30]));
const big = makePng(1024, 768, [30, 30, 200]);

/** FLUX.2 over REST: records the multipart parts it got, answers a PNG as base64 JSON. */
function flux2(parts: Map<string, File | string>) {
  server.use(
    http.post(`${REST}/@cf/black-forest-labs/flux-2-dev`, async ({ request }) => {
      for (const [name, value] of (await request.formData()).entries()) parts.set(name, value);
      return HttpResponse.json({ result: { image: Buffer.from(red).toString('base64') }, success: true, errors: [], messages: [] });
    }),
  );
}

const partBytes = async (part: File | string | undefined): Promise<Uint8Array> => new Uint8Array(await (part as File).arrayBuffer());

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegen-inputs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FLUX.2 reference images', () => {
  it('go as file parts input_image_0..n; one over 512x512 is shrunk, not refused; a path is read', async () => {
    const parts = new Map<string, File | string>();
    flux2(parts);
    const path = join(dir, 'green.png');
    const green = new Uint8Array(makePng(40, 40, [30, 200, 30]));
    await writeFile(path, green);
    const { generator } = rest();
    const result = await generator.generate('flux-2-dev', 'the fox of image 0 in the room of image 1', {
      image: [red, big, path],
      seed: 3,
    });
    expect(result).toMatchObject({ ok: true, route: 'rest', seed: 3 });
    expect([...parts.keys()].sort()).toEqual(['input_image_0', 'input_image_1', 'input_image_2', 'prompt', 'seed']);
    expect(parts.get('prompt')).toBe('the fox of image 0 in the room of image 1');
    expect(await partBytes(parts.get('input_image_0'))).toEqual(red);
    expect((parts.get('input_image_0') as File).type).toBe('image/png');
    const shrunk = await partBytes(parts.get('input_image_1'));
    expect(imageSize(shrunk)).toEqual({ width: 512, height: 384 });
    expect(await partBytes(parts.get('input_image_2'))).toEqual(green);
  });

  it('five images, a missing path, a path with no reader, an oversize image with no codec: bad_request, no request', async () => {
    const { generator } = rest();
    const five = await generator.generate('flux-2-dev', 'a fox', { image: [red, red, red, red, red] });
    expect(!five.ok && five.error.message).toContain('flux-2-dev takes at most 4 input images (5 were given)');
    const missing = await generator.generate('flux-2-dev', 'a fox', { image: join(dir, 'nope.png') });
    expect(!missing.ok && missing.error.message).toContain(`image: ${join(dir, 'nope.png')} does not exist`);
    const directory = await generator.generate('flux-2-dev', 'a fox', { image: dir });
    expect(!directory.ok && directory.error.message).toContain('is not a file');
    const portable = rest({ codec: undefined, readImageFile: undefined });
    const path = await portable.generator.generate('flux-2-dev', 'a fox', { image: 'photo.png' });
    expect(!path.ok && path.error.message).toContain('image is a path, and this generator reads no files');
    const oversize = await portable.generator.generate('flux-2-dev', 'a fox', { image: big });
    expect(!oversize.ok && oversize.error.message).toContain('image is 1024x768 and flux-2-dev takes at most 512x512');
    for (const result of [five, missing, directory, path, oversize])
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 0 } });
  });
});

describe('outputFormat', () => {
  const sdxlAnswersPng = () =>
    server.use(
      http.post(
        `${REST}/@cf/stabilityai/stable-diffusion-xl-base-1.0`,
        () => new HttpResponse(red, { headers: { 'content-type': 'image/png' } }),
      ),
    );

  it.each([
    ['webp', 'image/webp', 'webp'],
    ['jpeg', 'image/jpeg', 'jpg'],
  ] as const)('converts a PNG answer to %s: the file, its name and its type match', async (format, contentType, extension) => {
    sdxlAnswersPng();
    const { generator, store } = rest();
    const result = await generator.generate('sdxl', 'a fox', { outputFormat: format, outputQuality: 70 });
    expect(result).toMatchObject({ ok: true, contentType });
    if (!result.ok) return;
    expect(result.path.endsWith(`.${extension}`)).toBe(true);
    const file = store.files.get(result.path)!;
    expect(sniffImage(file)?.contentType).toBe(contentType);
    expect(result.bytes).toBe(file.length);
    expect(imageSize(file)).toEqual({ width: 64, height: 48 });
  });

  it('keeps the answer as it is when it already is in the format asked for', async () => {
    sdxlAnswersPng();
    const { generator, store } = rest();
    const result = await generator.generate('sdxl', 'a fox', { outputFormat: 'png' });
    expect(result.ok && store.files.get(result.path)).toEqual(red);
  });

  it.each([
    [{ outputFormat: 'gif' }, 'outputFormat must be one of png, jpeg, webp'],
    [{ outputFormat: 'png', outputQuality: 80 }, 'outputQuality applies to jpeg and webp, not png'],
    [{ outputFormat: 'webp', outputQuality: 0 }, 'outputQuality must be an integer from 1 to 100'],
    [{ outputQuality: 80 }, 'outputQuality needs an outputFormat'],
  ])('%o is bad_request before any request', async (options, message) => {
    const { generator } = rest();
    const result = await generator.generate('sdxl', 'a fox', options as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 0 } });
    expect(!result.ok && result.error.message).toContain(message);
  });

  it('is refused without a codec, and a codec that fails is invalid_response with no file left', async () => {
    const portable = rest({ codec: undefined });
    const refused = await portable.generator.generate('sdxl', 'a fox', { outputFormat: 'webp' });
    expect(!refused.ok && refused.error.message).toContain('outputFormat needs an image codec');
    sdxlAnswersPng();
    const broken: ImageCodec = { convert: () => Promise.reject(new Error('decoder exploded')), fit: (bytes) => Promise.resolve(bytes) };
    const { generator, store } = rest({ codec: broken });
    const failed = await generator.generate('sdxl', 'a fox', { outputFormat: 'webp' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'invalid_response' } });
    expect(!failed.ok && failed.error.message).toContain('could not be converted to webp: decoder exploded');
    expect(store.files.size).toBe(0);
  });
});
