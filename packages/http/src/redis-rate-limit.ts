import type { Redis } from 'ioredis';
import { type RateLimiter, TokenBucketLimiter, type TokenBucketOptions } from './rate-limit.js';

// The same token bucket as TokenBucketLimiter, kept in one Redis hash per client and updated in
// one script, so that concurrent gateways never both spend the last token. The caller's clock is
// passed in, so the two limiters decide alike for the same arrivals (and tests inject one).
const TAKE = `
local burst = tonumber(ARGV[1])
local per_second = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * per_second)
local retry_after = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  retry_after = math.ceil((1 - tokens) / per_second * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.17g', now))
-- Forgotten once it would be full again, so idle clients cost no memory.
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_second * 1000) + 1000)
return retry_after
`;

/**
 * A per-client token bucket shared by every gateway process that reaches the same Redis:
 * `burst` requests at once, refilled at `perSecond`, exactly as {@link TokenBucketLimiter}
 * decides in one process. While Redis is unreachable, each process falls back to the same
 * bucket in its own memory.
 *
 * @example
 * const limiter = new RedisRateLimiter(new Redis(process.env.IMAGEGEN_REDIS_URL), { burst: 60, perSecond: 10 });
 * await limiter.take('key-1'); // { allowed: true }
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly now: () => number;
  private readonly keyPrefix: string;
  private readonly fallback: TokenBucketLimiter;

  constructor(
    private readonly client: Redis,
    options: TokenBucketOptions & { keyPrefix?: string } = {},
  ) {
    this.burst = options.burst ?? 10;
    this.perSecond = options.perSecond ?? 1;
    this.now = options.now ?? Date.now;
    this.keyPrefix = options.keyPrefix ?? 'imagegen:rate';
    this.fallback = new TokenBucketLimiter(options);
  }

  async take(client: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    let retryAfterMs: number;
    try {
      // A limit is not worth a wait: past 300 ms this process's own bucket decides (the request's other
      // Redis seams then still answer within 2 s).
      const answer = await within(this.client.eval(TAKE, 1, `${this.keyPrefix}:${client}`, this.burst, this.perSecond, this.now()), 300);
      retryAfterMs = Number(answer);
    } catch {
      return this.fallback.take(client);
    }
    return retryAfterMs === 0 ? { allowed: true } : { allowed: false, retryAfterMs };
  }
}

/** The command's answer, or a rejection once `ms` have passed. */
async function within<T>(command: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([command, late]);
  } finally {
    clearTimeout(timer);
  }
}
