import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter, TokenBucketOptions } from './rate-limit.js';

/**
 * A per-client limit shared by every gateway process that reaches the same Redis
 * (rate-limiter-flexible): `burst` requests per `burst / perSecond` seconds. While Redis is
 * unreachable, each process falls back to the same limit in its own memory.
 *
 * @example
 * const limiter = new RedisRateLimiter(new Redis(process.env.IMAGEGEN_REDIS_URL), { burst: 60, perSecond: 10 });
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(client: Redis, options: Omit<TokenBucketOptions, 'now'> & { keyPrefix?: string } = {}) {
    const points = options.burst ?? 60;
    const duration = Math.max(1, Math.round(points / (options.perSecond ?? 10)));
    this.limiter = new RateLimiterRedis({
      storeClient: client,
      points,
      duration,
      keyPrefix: options.keyPrefix ?? 'imagegen:rate',
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
  }

  async take(client: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    try {
      await this.limiter.consume(client, 1);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
      throw rejection;
    }
  }
}
