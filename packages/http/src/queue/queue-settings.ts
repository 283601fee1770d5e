import { maxRateFromEnv } from '@imagegen/core/node';
import { envNumber } from '../env-number.js';

/** How the shared BullMQ queue behaves; every process that shares a queue should use the same values. */
export interface QueueSettings {
  redisUrl: string;
  /** Worker calls per second per model across all processes (BullMQ's global limiter); none when undefined. */
  ratePerSecond?: number;
  /** How long a worker's lock on a job lasts without renewal; a dead worker's job restarts after about this. @default 5000 */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock expired. @default 2500 */
  stalledIntervalMs: number;
  /** Times a job may be restarted after its worker died before it fails. @default 2 */
  maxStalledCount: number;
  /** Attempts per job; a retryable failure (the core's own retries spent) runs again after a backoff. @default 2 */
  attempts: number;
  /** The first backoff between attempts, doubled each time. @default 1000 */
  backoffMs: number;
  /** How long finished jobs stay in Redis. @default 3600000 */
  keepJobsMs: number;
  /** How long adding a job may take before the request is answered 503 (Redis away): within 2 s, like every Redis seam. @default 1200 */
  addTimeoutMs: number;
}

/** The Redis key prefix of imagegen's queues (one queue per model, named after it). */
export const QUEUE_PREFIX = 'imagegen';

/**
 * The queue settings from the environment: `IMAGEGEN_REDIS_URL` (required),
 * `IMAGEGEN_QUEUE_RATE_LIMIT` (calls per second per model; else `IMAGEGEN_MAX_RATE`, a minute's, over 60),
 * `IMAGEGEN_QUEUE_LOCK_MS`,
 * `IMAGEGEN_QUEUE_STALLED_MS`, `IMAGEGEN_QUEUE_ATTEMPTS`. Throws a readable error for a bad value.
 *
 * @example
 * const settings = queueSettingsFromEnv({ IMAGEGEN_REDIS_URL: 'redis://127.0.0.1:6379', IMAGEGEN_QUEUE_RATE_LIMIT: '20' });
 */
export function queueSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<QueueSettings> = {},
): QueueSettings {
  const redisUrl = overrides.redisUrl ?? env.IMAGEGEN_REDIS_URL?.trim();
  if (!redisUrl) throw new Error('IMAGEGEN_REDIS_URL is not set: the shared queue needs Redis');
  // Checked here: ioredis takes anything and then retries a wrong address for ever.
  if (!/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new Error('IMAGEGEN_REDIS_URL must be a redis:// or rediss:// URL');
  // 0 or unset: no limit. Else IMAGEGEN_MAX_RATE (an account's requests a minute) is the shared limit.
  const maxRate = maxRateFromEnv(env);
  const rate = envNumber(env, 'IMAGEGEN_QUEUE_RATE_LIMIT', 0, { orEqual: true }) || (maxRate ?? 0) / 60;
  const settings: QueueSettings = {
    redisUrl,
    lockDurationMs: envNumber(env, 'IMAGEGEN_QUEUE_LOCK_MS', 5000),
    stalledIntervalMs: envNumber(env, 'IMAGEGEN_QUEUE_STALLED_MS', 2500),
    maxStalledCount: 2,
    attempts: Math.floor(envNumber(env, 'IMAGEGEN_QUEUE_ATTEMPTS', 2, { min: 1, orEqual: true })),
    backoffMs: 1000,
    keepJobsMs: 3_600_000,
    addTimeoutMs: 1200,
    ...(rate > 0 ? { ratePerSecond: rate } : {}),
  };
  return { ...settings, ...overrides };
}
