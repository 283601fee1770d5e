import type { Clock } from '../ports.js';
import { AdaptiveLimiter, type AdaptiveLimiterOptions } from './adaptive-limiter.js';
import type { LimiterState, UpstreamLimiter, UpstreamPermit } from './upstream-limiter.js';

/**
 * One {@link AdaptiveLimiter} per upstream (a route and a model), made on first use: the
 * {@link UpstreamLimiter} a process uses when it is the only one calling its account.
 *
 * @example
 * const generator = new ImageGenerator({ settings, fetch, store, limiter: new AdaptiveLimiters({ clock: systemClock }) });
 */
export class AdaptiveLimiters implements UpstreamLimiter {
  private readonly limiters = new Map<string, AdaptiveLimiter>();

  constructor(private readonly options: Omit<AdaptiveLimiterOptions, 'clock'> & { clock: Clock }) {}

  acquire(key: string, signal?: AbortSignal): Promise<UpstreamPermit> {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new AdaptiveLimiter(this.options);
      this.limiters.set(key, limiter);
    }
    return limiter.acquire(signal);
  }

  states(): Record<string, LimiterState> {
    return Object.fromEntries([...this.limiters].map(([key, limiter]) => [key, limiter.state()]));
  }
}
