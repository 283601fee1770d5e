import { Redis } from 'ioredis';

/**
 * Whether Redis answers PING within `timeoutMs` on an existing connection (for /readyz).
 *
 * @example
 * if (!(await redisAnswers(redis, 2000))) console.warn('Redis is away');
 */
export async function redisAnswers(redis: Redis, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)));
    return (await Promise.race([redis.ping(), late])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the Redis at `url` answers PING within `timeoutMs`, on a connection of its own that
 * makes one try (BullMQ's connections retry for ever, so a process that must fail fast at start
 * asks here first).
 *
 * @example
 * if (!(await canReachRedis(process.env.IMAGEGEN_REDIS_URL!, 5000))) process.exit(1);
 */
export async function canReachRedis(url: string, timeoutMs: number): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {
    // The answer is the return value.
  });
  try {
    await redis.connect();
    return await redisAnswers(redis, timeoutMs);
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
