import type { GenerateOptions } from './generator-options.js';
import { imageFileName } from './file-name.js';
import type { GenerationParams, ImageModel, Route } from './models/model.js';
import type { FileStore, ResultCache } from './ports.js';
import type { GenerationSuccess } from './result.js';
import { resultCacheKey } from './result-cache-key.js';
import { sniffImage } from './sniff.js';

/**
 * The result cache's key for a call, or undefined when it must not be cached: no cache, the
 * caller turned it off (`cache: false`), or no seed was given (calls without one are meant to differ).
 *
 * @example
 * const key = await cacheKeyFor(cache, model, 'a fox', params, { seed: 7 });
 */
export async function cacheKeyFor(
  cache: ResultCache | undefined,
  model: ImageModel,
  prompt: string,
  params: GenerationParams,
  options: GenerateOptions,
): Promise<string | undefined> {
  if (!cache || options.cache === false || options.seed === undefined) return undefined;
  return resultCacheKey(model, { prompt, params, outputFormat: options.outputFormat, outputQuality: options.outputQuality });
}

/** What a cached answer needs to be a result like any other. */
export interface CacheAnswerContext {
  cache: ResultCache;
  key: string;
  store: FileStore;
  model: string;
  requestId: string;
  now: number;
  started: number;
  route: Route;
  seed: number | undefined;
}

/**
 * The cached image of `key` as a saved result (`cached: true`, no attempt), written to the store
 * under a new name; undefined on a miss. A cache that fails to read is a miss, never an error.
 *
 * @example
 * const hit = await answerFromCache({ cache, key, store, model: 'flux', requestId, now, started, route: 'rest', seed: 7 });
 */
export async function answerFromCache(context: CacheAnswerContext): Promise<GenerationSuccess | undefined> {
  const hit = await context.cache.get(context.key).catch(() => undefined);
  const format = hit ? sniffImage(hit.bytes) : undefined;
  if (!hit || !format) return undefined;
  const path = await context.store.write(imageFileName(context.model, context.requestId, context.now, format.extension), hit.bytes);
  return {
    ok: true,
    path,
    model: context.model,
    contentType: format.contentType,
    bytes: hit.bytes.length,
    attempts: 0,
    durationMs: Math.max(0, context.now - context.started),
    requestId: context.requestId,
    route: context.route,
    ...(context.seed === undefined ? {} : { seed: context.seed }),
    cached: true,
  };
}
