import pRetry from 'p-retry';
import type { CallStop } from './call-stop.js';
import { ImageGenerationError } from './errors.js';
import type { Clock } from './ports.js';

/** The retry policy's options; every field has a default (below). */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 3
   */
  retries?: number;
  /**
   * Delay before the first retry, in ms.
   * @default 1000
   */
  baseDelayMs?: number;
  /**
   * Multiplier from one delay to the next.
   * @default 2
   */
  factor?: number;
  /**
   * Longest backoff delay, in ms.
   * @default 10000
   */
  maxDelayMs?: number;
  /**
   * Retry 429 answers too, waiting what `Retry-After` / `retry-after-ms` asks (capped by
   * `maxRetryAfterMs`). Off by default: a 429 is the worker saying "not now".
   * @default false
   */
  on429?: boolean;
  /**
   * Longest wait honoured from a `Retry-After` header, in ms; a longer ask ends the retries.
   * @default 30000
   */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/**
 * Fills in the defaults: 3 retries, 1 s, 2 s, 4 s (factor 2, capped at 10 s), no 429 retry.
 *
 * @example
 * resolveRetryPolicy({ on429: true }).retries; // 3
 */
export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 1000,
    factor: options.factor ?? 2,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    on429: options.on429 ?? false,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
  };
}

/** Whether the policy lets this error be retried at all. */
export function shouldRetry(error: ImageGenerationError, policy: RetryPolicy): boolean {
  if (error.code === 'rate_limited') {
    return policy.on429 && (error.retryAfterMs ?? 0) <= policy.maxRetryAfterMs;
  }
  return error.retryable;
}

/**
 * The wait before retry number `retry` (1-based): exponential backoff, or what a 429 asked for.
 */
export function retryDelayMs(error: ImageGenerationError, retry: number, policy: RetryPolicy): number {
  if (error.code === 'rate_limited' && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return Math.min(policy.baseDelayMs * policy.factor ** (retry - 1), policy.maxDelayMs);
}

/** What a caller of `withRetry` learns about each retry. */
export interface RetryEvent {
  error: ImageGenerationError;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
}

/** What {@link withRetry} needs besides the attempt. */
export interface RetryLoopOptions {
  policy: RetryPolicy;
  clock: Clock;
  /** The call's stop: it ends a retry's wait. */
  stop: CallStop;
  toError: (error: unknown) => ImageGenerationError;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * Runs `attempt` until it succeeds (resolving to its value and the attempts made) or the
 * policy gives up, and throws the last `ImageGenerationError` with `attempts` set. The first
 * attempt runs on its own, with no retry state (most calls succeed at once; see
 * docs/performance-notes.md). From the first failure on, p-retry drives the loop; its own wait
 * is zero because ours must honour `Retry-After` and go through the injected clock.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryLoopOptions,
): Promise<{ value: T; attempts: number }> {
  try {
    return { value: await attempt(1), attempts: 1 };
  } catch (error) {
    const failure = options.toError(error);
    let again: boolean;
    try {
      again = options.policy.retries > 0 && (await waitToRetry(failure, 1, options));
    } catch (stop) {
      // Aborted while waiting: the abort is the outcome.
      throw options.toError(stop).withAttempts(1);
    }
    if (!again) throw failure.withAttempts(1);
  }
  let attempts = 1;
  try {
    const value = await pRetry(
      async (retryNumber) => {
        attempts = retryNumber + 1;
        try {
          return await attempt(attempts);
        } catch (error) {
          throw options.toError(error);
        }
      },
      {
        retries: options.policy.retries - 1,
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: ({ error }) => waitToRetry(error as ImageGenerationError, attempts, options),
      },
    );
    return { value, attempts };
  } catch (error) {
    throw options.toError(error).withAttempts(attempts);
  }
}

/** Whether `failure` of attempt `attempt` may be retried; if so, tells and waits first. */
async function waitToRetry(failure: ImageGenerationError, attempt: number, options: RetryLoopOptions): Promise<boolean> {
  if (!shouldRetry(failure, options.policy)) return false;
  const delayMs = retryDelayMs(failure, attempt, options.policy);
  options.onRetry?.({ error: failure, attempt, delayMs });
  const { signal, release } = options.stop.signal();
  try {
    await options.clock.sleep(delayMs, signal);
  } finally {
    release();
  }
  return true;
}
