import { createOpenAI } from '@ai-sdk/openai';
import { generateImage } from 'ai';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { usePreviewGateway } from './support/gateway.js';

const KEY = 'ai-sdk-key';
const gateway = usePreviewGateway(KEY);

const provider = () => createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY });

describe("the AI SDK's generateImage (@ai-sdk/openai), unmodified, against the gateway", () => {
  it('generates with a catalogue alias at a size, several images as several calls', async () => {
    const result = await generateImage({ model: provider().image('sdxl'), prompt: 'a red fox', size: '512x512', n: 2 });
    expect(result.images).toHaveLength(2);
    expect(result.warnings).toEqual([]);
    for (const image of result.images) {
      expect(image.mediaType).toBe('image/png');
      expect(await sharp(image.uint8Array).metadata()).toMatchObject({ format: 'png', width: 512, height: 512 });
    }
    expect(result.images[0]!.base64).not.toBe(result.images[1]!.base64);
  });

  it('edits from input images (it reads b64_json from /v1/images/edits without asking for it), FLUX.2 with two', async () => {
    const red = new Uint8Array(
      await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } })
        .png()
        .toBuffer(),
    );
    const edited = await generateImage({
      model: provider().image('sd15-img2img'),
      prompt: { text: 'as a watercolour', images: [red] },
      size: '256x256',
    });
    expect(await sharp(edited.image.uint8Array).metadata()).toMatchObject({ format: 'png', width: 256 });
    const both = await generateImage({
      model: provider().image('flux-2-klein-4b'),
      prompt: { text: 'the two together', images: [red, red] },
      size: '256x256',
    });
    expect(await sharp(both.image.uint8Array).metadata()).toMatchObject({ format: 'png', width: 256 });
  });

  it("an unknown model is the SDK's APICallError with the gateway's message", async () => {
    const error = await generateImage({ model: provider().image('dall-e-3'), prompt: 'a fox' }).catch((caught: unknown) => caught);
    expect((error as { statusCode?: number }).statusCode).toBe(400);
    expect((error as Error).message).toContain("Unknown model 'dall-e-3'");
  });
});
