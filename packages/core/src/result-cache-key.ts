import { inputImageList } from './input-image.js';
import type { GenerationParams, ImageModel } from './models/model.js';
import type { OutputFormat } from './ports.js';

const hex = (digest: ArrayBuffer): string => [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

const sha256 = async (data: Uint8Array | string): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? new TextEncoder().encode(data) : (data as Uint8Array<ArrayBuffer>)));

/** What decides an image besides the model: the prompt, every input, the output format. */
export interface CacheKeyParts {
  prompt: string;
  params: GenerationParams;
  outputFormat?: OutputFormat | undefined;
  outputQuality?: number | undefined;
}

/**
 * The result cache's key of one call: a SHA-256 over the model's Workers AI id, the prompt, each
 * input the model takes (the seed among them), the input images' and mask's own SHA-256, and the
 * output format and quality. The route is not in it: the same model and inputs make the same
 * image whichever way it is reached. Web Crypto, so it runs wherever the core does.
 *
 * @example
 * const key = await resultCacheKey(model, { prompt: 'a fox', params: { seed: 7 } }); // '3f0c...' (64 hex digits)
 */
export async function resultCacheKey(model: ImageModel, parts: CacheKeyParts): Promise<string> {
  const { params } = parts;
  const inputs = Object.fromEntries(
    model.inputs.flatMap((input) => (params[input.name] === undefined ? [] : [[input.name, params[input.name]]])),
  );
  const images = await Promise.all(inputImageList(params.image).map(sha256));
  const mask = params.mask === undefined ? null : await sha256(params.mask);
  const decided = [model.workersAiName, parts.prompt, inputs, images, mask, parts.outputFormat ?? null, parts.outputQuality ?? null];
  return sha256(JSON.stringify(decided));
}
