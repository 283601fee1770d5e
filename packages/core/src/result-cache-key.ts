import { inputImageList } from './input-image.js';
import type { GenerationParams, ImageModel } from './models/model.js';
import type { OutputFormat } from './ports.js';

const hex = (digest: ArrayBuffer): string => [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * The SHA-256 of bytes or of a string's UTF-8, as 64 lowercase hexadecimal digits (Web Crypto:
 * it runs wherever the core does).
 *
 * @example
 * await sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export const sha256Hex = async (data: Uint8Array | string): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? new TextEncoder().encode(data) : (data as Uint8Array<ArrayBuffer>)));

const CACHE_KEY = /^[0-9a-f]{64}$/;

/**
 * Whether `key` has the shape of a {@link resultCacheKey}: what a cache checks before it makes a
 * file or object name of it.
 *
 * @example
 * isResultCacheKey('../etc/passwd'); // false
 */
export const isResultCacheKey = (key: string): boolean => CACHE_KEY.test(key);

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
  const images = await Promise.all(inputImageList(params.image).map(sha256Hex));
  const mask = params.mask === undefined ? null : await sha256Hex(params.mask);
  const decided = [model.workersAiName, parts.prompt, inputs, images, mask, parts.outputFormat ?? null, parts.outputQuality ?? null];
  return sha256Hex(JSON.stringify(decided));
}
