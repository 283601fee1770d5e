import type { RateLimiter, TokenBucketOptions } from '../rate-limit.js';
import type { KeyEntry } from './key-entries.js';

/**
 * Each keys file entry's `rpm`: a bucket of `rpm` requests refilled at `rpm` a minute, per key
 * name, made by `limiterOf` (in memory, or in Redis when gateways share it).
 *
 * @example
 * const rpm = new KeyRpm((options) => new TokenBucketLimiter(options));
 * await rpm.take(entry); // { allowed: true }
 */
export class KeyRpm {
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(private readonly limiterOf: (options: TokenBucketOptions & { keyPrefix: string }) => RateLimiter) {}

  async take(entry: KeyEntry): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    if (entry.rpm === undefined) return { allowed: true };
    let limiter = this.limiters.get(entry.name);
    if (!limiter) {
      limiter = this.limiterOf({ burst: entry.rpm, perSecond: entry.rpm / 60, keyPrefix: 'imagegen:rpm' });
      this.limiters.set(entry.name, limiter);
    }
    return limiter.take(entry.name);
  }
}
