import type { CallStop } from '../call-stop.js';
import { ImageGenerationError } from '../errors.js';
import type { Clock } from '../ports.js';
import type { AttemptOutcome, UpstreamLimiter } from './upstream-limiter.js';

/** What a failed attempt tells the limiter: a 429 (3040) is the upstream's limit; the rest is not. */
function outcomeOf(error: unknown): AttemptOutcome {
  if (error instanceof ImageGenerationError && error.code === 'rate_limited')
    return { kind: 'throttled', retryAfterMs: error.retryAfterMs };
  return { kind: 'failed' };
}

/**
 * Runs one HTTP attempt inside a permit of the upstream `key` (a route and a model), and tells
 * the limiter how it went: an image and its latency, a 429, or another failure. Without a
 * limiter it just runs. A stop while waiting for the permit rejects with the stop's reason.
 *
 * @example
 * const stored = await limitedAttempt(limiter, 'rest:flux', stop, clock, () => attemptOnce(context));
 */
export async function limitedAttempt<T>(
  limiter: UpstreamLimiter | undefined,
  key: string,
  stop: CallStop,
  clock: Clock,
  run: () => Promise<T>,
): Promise<T> {
  if (!limiter) return run();
  const { signal, release: unlink } = stop.signal();
  let permit;
  try {
    permit = await limiter.acquire(key, signal);
  } finally {
    unlink();
  }
  const started = clock.now();
  try {
    const value = await run();
    permit.release({ kind: 'ok', latencyMs: clock.now() - started });
    return value;
  } catch (error) {
    permit.release(outcomeOf(error));
    throw error;
  }
}
