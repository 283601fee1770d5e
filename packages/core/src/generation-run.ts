import { attemptOnce, type AttemptContext, type StoredImage } from './attempt.js';
import type { CallStop } from './call-stop.js';
import type { ErrorFactory } from './error-factory.js';
import { ImageGenerationError } from './errors.js';
import type { AttemptOutcome, UpstreamLimiter, UpstreamPermit } from './limiter/upstream-limiter.js';
import { imageFileName } from './file-name.js';
import type { AttemptDoneEvent, AttemptEvent, GenerateOptions, GenerationHooks, GeneratorRetryEvent } from './generator-options.js';
import type { GenerationParams, ImageModel, Route } from './models/model.js';
import type { FileStore, Logger, ResultCache } from './ports.js';
import { resultCacheKey } from './result-cache-key.js';
import { sniffImage } from './sniff.js';
import { type RetryPolicy, withRetry } from './retry.js';
import { NO_COST } from './cost.js';
import type { GenerationFailure, GenerationSuccess } from './result.js';
import { messageOf } from './transport-errors.js';

/** The generator's hooks and the call's, merged once: each merged hook calls both, in that order. */
export function mergeHooks(...sets: ReadonlyArray<GenerationHooks | undefined>): Required<GenerationHooks> {
  const present = sets.filter((set): set is GenerationHooks => set !== undefined);
  return {
    onAttempt: (event: AttemptEvent) => present.forEach((set) => set.onAttempt?.(event)),
    onAttemptDone: (event: AttemptDoneEvent) => present.forEach((set) => set.onAttemptDone?.(event)),
    onRetry: (event: GeneratorRetryEvent) => present.forEach((set) => set.onRetry?.(event)),
  };
}

/** What a limiter learns from a failed attempt: a 429 (3040) is the upstream's limit; the rest is not. */
function outcomeOf(error: unknown): AttemptOutcome {
  if (error instanceof ImageGenerationError && error.code === 'rate_limited')
    return { kind: 'throttled', retryAfterMs: error.retryAfterMs };
  return { kind: 'failed' };
}

/** What one call's run needs beyond one attempt's context. */
export interface RunContext extends AttemptContext {
  policy: RetryPolicy;
  hooks: Required<GenerationHooks>;
  limiter?: UpstreamLimiter | undefined;
  logger: Logger;
  /** The result cache and this call's key in it, when the image is to be kept. */
  cache?: { store: ResultCache; key: string } | undefined;
  started: number;
  errors: ErrorFactory;
  stop: CallStop;
}

/**
 * One call from its first attempt to its result: each attempt waits for a permit of the upstream
 * (the route and the model) when there is a limiter, runs, tells the limiter and the hooks how it
 * went; failures are retried as the policy says; the image is kept in the result cache when asked.
 * Resolves to a result whatever happened.
 */
export async function runGeneration(context: RunContext): Promise<Omit<GenerationSuccess, 'cost'> | GenerationFailure> {
  const { model, request, stop, clock, errors, hooks, limiter, logger, requestIds } = context;
  const upstream = `${request.route}:${model.name}`;
  const oneAttempt = async (attempt: number): Promise<StoredImage> => {
    const event = { model: model.name, attempt, requestId: requestIds.current };
    logger.debug(event, 'image generation attempt');
    hooks.onAttempt(event);
    let permit: UpstreamPermit | undefined;
    try {
      if (limiter) {
        // A stop while waiting for the permit rejects with the stop's reason.
        const { signal, release } = stop.signal();
        permit = await limiter.acquire(upstream, signal).finally(release);
      }
      const started = clock.now();
      const stored = await attemptOnce(context);
      permit?.release({ kind: 'ok', latencyMs: clock.now() - started });
      hooks.onAttemptDone({ ...event, route: request.route, outcome: 'ok' });
      return stored;
    } catch (error) {
      permit?.release(outcomeOf(error));
      hooks.onAttemptDone({ ...event, route: request.route, outcome: errors.fromThrown(error, model.name, stop).code });
      throw error;
    }
  };
  try {
    const { value: stored, attempts } = await withRetry(oneAttempt, {
      policy: context.policy,
      clock,
      stop,
      toError: (error) => errors.fromThrown(error, model.name, stop),
      onRetry: (retry) => {
        const { attempt, delayMs, error } = retry;
        logger.info({ model: model.name, attempt, code: error.code, status: error.status, delayMs }, 'retrying image generation');
        hooks.onRetry({ ...retry, model: model.name, requestId: requestIds.current });
      },
    });
    const { data, ...saved } = stored;
    // A cache that can't be written costs the next call, never this one.
    if (context.cache && data) {
      await context.cache.store
        .put(context.cache.key, data)
        .catch((error: unknown) => logger.warn({ error: messageOf(error) }, 'result cache not written'));
    }
    const durationMs = Math.max(0, clock.now() - context.started);
    logger.debug({ model: model.name, attempts, bytes: saved.bytes }, 'image saved');
    return {
      ok: true,
      ...saved,
      attempts,
      model: model.name,
      durationMs,
      requestId: requestIds.current,
      route: request.route,
      ...(request.seed === undefined ? {} : { seed: request.seed }),
    };
  } catch (error) {
    // withRetry throws only ImageGenerationErrors, with their attempts counted.
    const failure = errors.fromThrown(error, model.name, stop);
    logger.info({ model: model.name, code: failure.code, status: failure.status, attempts: failure.attempts }, 'image generation failed');
    return { ok: false, error: failure };
  }
}

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
    cost: NO_COST,
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
