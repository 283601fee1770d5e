import type { UpstreamLimiter } from '@imagegen/core';
import { limiterFromEnv, maxRateFromEnv } from '@imagegen/core/node';
import { Redis } from 'ioredis';
import { RedisUpstreamLimiter } from './redis-upstream-limiter.js';

/**
 * The upstream limiter of a gateway or queue worker (on unless `IMAGEGEN_ADAPTIVE=0`, capped by
 * `IMAGEGEN_MAX_RATE`): shared through `redis` when there is one (every process on one schedule),
 * else this process's own adaptive limiter.
 *
 * @example
 * const limiter = upstreamLimiterFromEnv(process.env, redis);
 */
export function upstreamLimiterFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  redis: Redis | undefined,
): UpstreamLimiter | undefined {
  const local = limiterFromEnv(env);
  if (!local || !redis) return local;
  return new RedisUpstreamLimiter(redis, { maxPerMinute: maxRateFromEnv(env) });
}

/**
 * {@link upstreamLimiterFromEnv} for a process that has no Redis client of its own yet (a queue
 * worker): opens one on `redisUrl` unless the limiter is off; `close()` closes it.
 *
 * @example
 * const { limiter, close } = openUpstreamLimiter(process.env, 'redis://127.0.0.1:6379');
 */
export function openUpstreamLimiter(
  env: Readonly<Record<string, string | undefined>>,
  redisUrl: string,
): { limiter: UpstreamLimiter | undefined; close: () => Promise<void> } {
  if (!limiterFromEnv(env)) return { limiter: undefined, close: async () => {} };
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  return {
    limiter: upstreamLimiterFromEnv(env, redis),
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
