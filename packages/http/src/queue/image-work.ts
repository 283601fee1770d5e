import {
  type FileStore,
  generateWithFallbacks,
  type ImageCost,
  type GenerationHooks,
  type GenerationParams,
  ImageGenerationError,
  type ImageGenerationErrorInit,
  type ImageGenerator,
  MemoryStore,
} from '@imagegen/core';
import { decodeBase64 } from '@imagegen/core/internal';
import { bytesToBase64 } from '../base64.js';
import type { ImageStorage } from '../storage/image-storage.js';

/** One image to make: what a queue job carries (plain JSON, so it can cross processes). */
export interface ImageWork {
  model: string;
  prompt: string;
  params: Omit<GenerationParams, 'image' | 'mask'>;
  /** Input images as base64 (a queue job crosses processes as JSON): one, or several references. */
  images?: { image: string[]; mask?: string };
  /** `url`: into the image storage; `b64_json`: bytes back in the answer, never stored. */
  format: 'url' | 'b64_json';
  /** The request that asked for it, for logs. */
  reqId: string;
  /** The models to try after `model`, in order, on 3040, 3036, a server error or a timeout (IMAGEGEN_FALLBACKS). */
  fallbacks?: string[];
}

/** A failure as plain JSON. */
export type WorkError = Omit<ImageGenerationErrorInit, 'cause'> & { retryable: boolean };

/** How one {@link ImageWork} ended (plain JSON: a BullMQ job's return value). */
export type WorkOutcome =
  | {
      ok: true;
      attempts: number;
      contentType: string;
      name?: string;
      b64?: string;
      seed?: number;
      cached?: true;
      route?: string;
      cost?: ImageCost;
      /** The model that made the image (a fallback's, when the first failed). */
      model?: string;
    }
  | { ok: false; error: WorkError };

/** Options of {@link performWork}. */
export interface PerformOptions extends GenerationHooks {
  signal?: AbortSignal;
  /** The stored image's name instead of the generator's (a queue job names it after itself). */
  rename?: (generated: string) => string;
}

/** The error a {@link WorkOutcome} carries, as the core's error again. */
export const workError = (error: WorkError): ImageGenerationError => new ImageGenerationError(error);

const renamed = (store: FileStore, rename: (name: string) => string): FileStore => ({
  write: (name, body, options) => store.write(rename(name), body, options),
  remove: (path) => store.remove(path),
});

/**
 * Makes one image: generates it (the core's retries included) and puts it in the storage, or
 * keeps its bytes for a `b64_json` answer. Never throws for an expected failure.
 *
 * @example
 * const outcome = await performWork(generator, storage, { model: 'flux', prompt: 'a cat', params: {}, format: 'url', reqId: 'r1' });
 * if (outcome.ok) console.log(outcome.name);
 */
export async function performWork(
  generator: ImageGenerator,
  storage: ImageStorage,
  work: ImageWork,
  options: PerformOptions = {},
): Promise<WorkOutcome> {
  const memory = work.format === 'b64_json' ? new MemoryStore('') : undefined;
  const store = memory ?? (options.rename ? renamed(storage.store, options.rename) : storage.store);
  const { signal, rename: _, ...hooks } = options;
  const images = work.images
    ? { image: work.images.image.map(decodeBase64), ...(work.images.mask === undefined ? {} : { mask: decodeBase64(work.images.mask) }) }
    : {};
  const { result } = await generateWithFallbacks(generator, [work.model, ...(work.fallbacks ?? [])], work.prompt, {
    ...work.params,
    ...images,
    ...hooks,
    store,
    ...(signal ? { signal } : {}),
  });
  if (!result.ok) {
    const { code, message, model, status, retryable, retryAfterMs, attempts } = result.error;
    return { ok: false, error: { code, message, model, status, retryable, retryAfterMs, attempts } };
  }
  const base = {
    ok: true as const,
    attempts: result.attempts,
    contentType: result.contentType,
    route: result.route,
    cost: result.cost,
    model: result.model,
    ...(result.seed === undefined ? {} : { seed: result.seed }),
    ...(result.cached ? { cached: true as const } : {}),
  };
  if (memory) return { ...base, b64: bytesToBase64(memory.files.get(result.path)!) };
  // The file name alone (a path on Node, a key elsewhere): what `GET /v1/images/{file}` takes.
  return { ...base, name: result.path.split(/[\\/]/).pop()! };
}
