import { type CatalogueModel, type GenerationParams } from '@imagegen/core';
import { inputImageList, randomSeed } from '@imagegen/core/internal';
import { renderPreview } from './preview-image.js';

/** What a model answers for one run, as Workers AI does: `{ image: base64 }` or a byte stream. */
export type RunOutput = { image: string } | ReadableStream<Uint8Array>;

/**
 * Draws a catalogue model's answer offline: its own format (PNG or JPEG) and answer kind
 * (base64 JSON or bytes), at its default size unless width and height are given. Without a seed
 * one is picked at random, as the real models do: same prompt and seed, same bytes.
 *
 * @example
 * const output = await previewRun(lucidOrigin, 'a red fox', { seed: 7 }); // { image: '<base64 JPEG>' }
 */
export async function previewRun(model: CatalogueModel, prompt: string, params: GenerationParams): Promise<RunOutput> {
  const bytes = await renderPreview({
    prompt,
    seed: params.seed ?? randomSeed(),
    width: params.width ?? model.defaultSize.width,
    height: params.height ?? model.defaultSize.height,
    format: model.answer.format,
    ...(params.image === undefined ? {} : { images: inputImageList(params.image) }),
    // FLUX.2 has no strength: its reference images are drawn half-way, clearly there.
    strength: params.strength ?? (model.inputs.some((input) => input.name === 'strength') ? 1 : 0.5),
  });
  // A partner model answers a URL; a local preview has no storage to link to, so its image comes inline.
  if (model.answer.encoding !== 'binary') return { image: Buffer.from(bytes).toString('base64') };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
