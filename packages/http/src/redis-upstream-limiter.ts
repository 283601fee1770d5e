import { type AttemptOutcome, type Clock, type LimiterState, systemClock, type UpstreamLimiter, type UpstreamPermit } from '@imagegen/core';
import type { Redis } from 'ioredis';

// One upstream's shared state, under <prefix><key>: the start rate (starts a second; absent until
// the first 429 or a ceiling sets it), the next free start time (GCRA's "theoretical arrival
// time"), the time of the last decrease, and the recent starts (a sorted set, for the rate achieved).

/** Reserves the next start: returns how long to wait (ms) before it; records the start. */
const RESERVE = `
local now = tonumber(ARGV[1])
local ceiling = tonumber(ARGV[2])
if ceiling > 0 then redis.call('SET', KEYS[1], ceiling, 'NX') end
redis.call('ZADD', KEYS[4], now, now .. ':' .. ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 2000)
redis.call('PEXPIRE', KEYS[4], 60000)
local rate = tonumber(redis.call('GET', KEYS[1]))
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
if tat < now then tat = now end
if rate then redis.call('SET', KEYS[2], tat + 1000 / rate, 'PX', 600000) else redis.call('SET', KEYS[2], tat, 'PX', 600000) end
return tostring(tat - now)
`;

/** A 429: pause every process for Retry-After, and set the shared rate under what was achieved, once per round. */
const THROTTLED = `
local now = tonumber(ARGV[1])
local started = tonumber(ARGV[2])
local pause = tonumber(ARGV[3])
local ceiling = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
if tat < now + pause then redis.call('SET', KEYS[2], now + pause, 'PX', 600000) end
local decreased = tonumber(redis.call('GET', KEYS[3]) or '-1')
if started <= decreased then return 0 end
local achieved = redis.call('ZCOUNT', KEYS[4], now - 2000, now) / 2
local rate = tonumber(redis.call('GET', KEYS[1]))
local next
if rate then next = math.min(rate, achieved) * 0.9 else next = achieved * 0.5 end
if next < 0.05 then next = 0.05 end
if ceiling > 0 and next > ceiling then next = ceiling end
redis.call('SET', KEYS[1], next, 'PX', 3600000)
redis.call('SET', KEYS[3], now, 'PX', 3600000)
return 1
`;

/** A clean answer: the shared rate climbs additively (0.1 / rate starts a second per answer), never over the ceiling. */
const ANSWERED = `
local rate = tonumber(redis.call('GET', KEYS[1]))
if not rate then return 0 end
local ceiling = tonumber(ARGV[1])
local next = rate + 0.1 / rate
if ceiling > 0 and next > ceiling then next = ceiling end
redis.call('SET', KEYS[1], next, 'PX', 3600000)
return 1
`;

/** Options of {@link RedisUpstreamLimiter}. */
export interface RedisUpstreamLimiterOptions {
  /** A ceiling on starts a minute across every process (the account's limit, when known). */
  maxPerMinute?: number | undefined;
  /** Drives the waits and stamps the starts (injectable for tests). @default systemClock */
  clock?: Clock;
  /** @default 'imagegen:upstream:' */
  prefix?: string;
}

/**
 * The upstream limiter of processes that share one account (gateways, queue workers): every
 * process reserves its starts from one schedule in Redis (GCRA), so together they keep one pace.
 * Until the account's limit shows itself the starts are not paced; the first 429 anywhere sets the
 * shared start rate to half of what all of them achieved in the last 2 s and pauses everyone for
 * its Retry-After; each later 429 sets it to 90% of what was achieved, once per round; clean
 * answers raise it slowly. A ceiling (`maxPerMinute`) paces from the first start.
 *
 * @example
 * const generator = createImageGenerator({ limiter: new RedisUpstreamLimiter(redis, { maxPerMinute: 720 }) });
 */
export class RedisUpstreamLimiter implements UpstreamLimiter {
  private readonly clock: Clock;
  private readonly ceiling: number;
  private readonly prefix: string;
  private readonly seen = new Map<string, { inFlight: number; waiting: number }>();
  private sequence = 0;
  /** Tells this limiter's starts apart from another's made at the same millisecond (in the set of recent starts). */
  private readonly id = `${process.pid}.${Math.random().toString(36).slice(2)}`;

  constructor(
    private readonly redis: Redis,
    options: RedisUpstreamLimiterOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.ceiling = options.maxPerMinute === undefined ? 0 : options.maxPerMinute / 60;
    this.prefix = options.prefix ?? 'imagegen:upstream:';
  }

  private keys(key: string): string[] {
    const base = `${this.prefix}${key}:`;
    return [`${base}rate`, `${base}tat`, `${base}decreased`, `${base}starts`];
  }

  /**
   * Reserves the next shared start of `key`: how long to wait for it, in ms (0: start now).
   *
   * @example
   * const waitMs = await limiter.reserve('rest:flux');
   */
  async reserve(key: string): Promise<number> {
    const tag = `${this.id}.${++this.sequence}`;
    const wait = await this.redis.eval(RESERVE, 4, ...this.keys(key), this.clock.now(), this.ceiling, tag);
    return Math.max(0, Number(wait));
  }

  async acquire(key: string, signal?: AbortSignal): Promise<UpstreamPermit> {
    const state = this.seen.get(key) ?? { inFlight: 0, waiting: 0 };
    this.seen.set(key, state);
    state.waiting++;
    try {
      const wait = await this.reserve(key);
      if (wait > 0) await this.clock.sleep(wait, signal);
      if (signal?.aborted) throw signal.reason;
    } finally {
      state.waiting--;
    }
    state.inFlight++;
    const started = this.clock.now();
    let released = false;
    return {
      release: (outcome: AttemptOutcome) => {
        if (released) return;
        released = true;
        state.inFlight--;
        void this.learn(key, outcome, started).catch(() => {});
      },
    };
  }

  private async learn(key: string, outcome: AttemptOutcome, started: number): Promise<void> {
    if (outcome.kind === 'ok') await this.redis.eval(ANSWERED, 4, ...this.keys(key), this.ceiling);
    if (outcome.kind !== 'throttled') return;
    const pause = outcome.retryAfterMs ?? 1000;
    await this.redis.eval(THROTTLED, 4, ...this.keys(key), this.clock.now(), started, pause, this.ceiling);
  }

  /** The shared start rate of each upstream this process has used (read from Redis), and its own attempts. */
  async sharedStates(): Promise<Record<string, LimiterState>> {
    const entries = await Promise.all(
      Object.entries(this.states()).map(async ([key, state]) => {
        const rate = await this.redis.get(this.keys(key)[0]!);
        return [key, { ...state, ratePerMinute: rate === null ? undefined : Math.round(Number(rate) * 60) }] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** This process's attempts per upstream (the shared rate needs Redis: {@link sharedStates}). */
  states(): Record<string, LimiterState> {
    return Object.fromEntries(
      [...this.seen].map(([key, state]) => [key, { concurrency: state.inFlight, ratePerMinute: undefined, ...state }]),
    );
  }
}
