/** Per-client request limits, behind a port so a shared (Redis) one can replace it. */
export interface RateLimiter {
  /** Takes one token for `client`; when none is left, says how long until one is. */
  take(client: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }>;
}

/** Options of {@link TokenBucketLimiter}. */
export interface TokenBucketOptions {
  /** Tokens a client may spend at once. @default 10 */
  burst?: number;
  /** Tokens added back per second. @default 1 */
  perSecond?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * An in-memory token bucket per client: `burst` requests at once, refilled at `perSecond`.
 *
 * @example
 * const limiter = new TokenBucketLimiter({ burst: 5, perSecond: 0.5 });
 * await limiter.take('key-1'); // { allowed: true }
 */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly perSecond: number;
  private readonly now: () => number;

  constructor(options: TokenBucketOptions = {}) {
    this.burst = options.burst ?? 10;
    this.perSecond = options.perSecond ?? 1;
    this.now = options.now ?? Date.now;
  }

  async take(client: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    // Full buckets are forgotten, so idle clients cost no memory.
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(client, bucket);
      return { allowed: true };
    }
    this.buckets.set(client, bucket);
    return { allowed: false, retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000) };
  }
}
