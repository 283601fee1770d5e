import { startTimer } from '../clock.js';
import type { Clock } from '../ports.js';
import type { AttemptOutcome, LimiterState, UpstreamPermit } from './upstream-limiter.js';

/** The knobs of an {@link AdaptiveLimiter}; the defaults suit Workers AI's image models. */
export interface AdaptiveLimiterOptions {
  clock: Clock;
  /** Attempts at once before anything is known. @default 2 */
  initialConcurrency?: number;
  /** @default 256 */
  maxConcurrency?: number;
  /** A ceiling on starts a minute (`--max-rate`), for users who know their account's limit. */
  maxPerMinute?: number | undefined;
  /** How long to pause after a 429 that says nothing. @default 1000 */
  defaultPauseMs?: number;
}

// The first 429 ends the ramp, whose last rounds ran on the upstream's burst allowance: the start
// rate becomes half of what was achieved (as TCP halves its window). Each later 429 sets it just
// under what was achieved, and it climbs back slowly in between (additively, RATE_STEP starts a
// second for each second of answers at any rate), so a token-bucket upstream is met again only
// after many answers: few 429s, little idle time.
const FIRST_DECREASE = 0.5;
const RATE_DECREASE = 0.9;
const RATE_STEP = 0.1;
/** The starts of the last RATE_WINDOW_MS tell the rate achieved when a 429 comes. */
const RATE_WINDOW_MS = 2000;
/** An answer slower than this many times the fastest recent one means the upstream is queueing. */
const LATENCY_RISE = 4;
const LATENCY_SAMPLES = 50;

interface Waiter {
  resolve: (permit: UpstreamPermit) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Finds and keeps the highest useful pace of one upstream by itself: concurrency grows while
 * answers come back fast and clean (doubling until the first sign of a limit, then one more per
 * round of answers), a latency rise shrinks it; a 429 pauses every start for its Retry-After and
 * sets a start rate just under the one that met the limit, which then climbs slowly (AIMD on the
 * rate). A ceiling (`maxPerMinute`) caps the rate from the start. The injected clock drives every
 * wait, so tests run on fake time.
 *
 * @example
 * const limiter = new AdaptiveLimiter({ clock: systemClock });
 * const permit = await limiter.acquire(signal);
 * const started = Date.now();
 * // ... one HTTP attempt ...
 * permit.release({ kind: 'ok', latencyMs: Date.now() - started });
 */
export class AdaptiveLimiter {
  private concurrency: number;
  private rate: number | undefined;
  private readonly ceiling: number | undefined;
  private inFlight = 0;
  private readonly waiters: Waiter[] = [];
  private pausedUntil = 0;
  private nextStartAt = 0;
  // -Infinity until the first decrease: until then the limiter is in slow start.
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private readonly starts: number[] = [];
  private readonly latencies: number[] = [];
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly options: AdaptiveLimiterOptions) {
    this.concurrency = options.initialConcurrency ?? 2;
    // Rates are starts a second.
    this.ceiling = options.maxPerMinute === undefined ? undefined : options.maxPerMinute / 60;
    this.rate = this.ceiling;
  }

  /** Waits for a slot; rejects with the signal's reason when it aborts first. */
  acquire(signal?: AbortSignal): Promise<UpstreamPermit> {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the abort reason passes through as given
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<UpstreamPermit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: () => this.abandon(waiter) };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** What it is doing now. */
  state(): LimiterState {
    return {
      concurrency: Math.floor(this.concurrency),
      ratePerMinute: this.rate === undefined ? undefined : Math.round(this.rate * 60),
      inFlight: this.inFlight,
      waiting: this.waiters.length,
    };
  }

  private abandon(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    waiter.reject(waiter.signal?.reason);
  }

  /** Grants permits while a slot is free and no pause or pacing holds; else waits for the time that frees one. */
  private pump(): void {
    while (this.waiters.length > 0 && this.inFlight < Math.floor(this.concurrency)) {
      const now = this.options.clock.now();
      const readyAt = Math.max(this.pausedUntil, this.nextStartAt);
      if (readyAt > now) {
        this.cancelTimer ??= startTimer(this.options.clock, readyAt - now, () => {
          this.cancelTimer = undefined;
          this.pump();
        });
        return;
      }
      const waiter = this.waiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.inFlight++;
      this.forgetStartsBefore(now - RATE_WINDOW_MS);
      this.starts.push(now);
      this.nextStartAt = now + this.spacingMs();
      waiter.resolve(this.permit(now));
    }
  }

  private permit(startedAt: number): UpstreamPermit {
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.learn(outcome, startedAt);
        this.pump();
      },
    };
  }

  private learn(outcome: AttemptOutcome, startedAt: number): void {
    const max = this.options.maxConcurrency ?? 256;
    if (outcome.kind === 'ok') {
      this.latencies.push(outcome.latencyMs);
      if (this.latencies.length > LATENCY_SAMPLES) this.latencies.shift();
      if (outcome.latencyMs > LATENCY_RISE * Math.max(1, Math.min(...this.latencies))) {
        // The upstream queues our requests: fewer at once, once per round.
        if (startedAt > this.lastDecreaseAt) this.decrease(0.9);
        return;
      }
      this.concurrency = Math.min(max, this.concurrency + (this.inSlowStart() ? 1 : 1 / this.concurrency));
      if (this.rate !== undefined) this.rate = Math.min(this.ceiling ?? Number.POSITIVE_INFINITY, this.rate + RATE_STEP / this.rate);
      return;
    }
    if (outcome.kind !== 'throttled') return;
    const now = this.options.clock.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + (outcome.retryAfterMs ?? this.options.defaultPauseMs ?? 1000));
    // Attempts started before the last decrease met the same limit: react once per round.
    if (startedAt <= this.lastDecreaseAt) return;
    this.forgetStartsBefore(now - RATE_WINDOW_MS);
    const achieved = this.starts.length / (RATE_WINDOW_MS / 1000);
    const next = Math.max(0.05, Math.min(this.rate ?? achieved, achieved) * (this.inSlowStart() ? FIRST_DECREASE : RATE_DECREASE));
    this.rate = Math.min(next, this.ceiling ?? next);
    this.decrease(0.75);
  }

  /**
   * Time between two starts: the paced rate's, or while the rate is unknown the mean answer time
   * over the concurrency, so that starts spread over a round instead of leaving together (a
   * burst of them would meet a limit together: several 429s where one tells as much).
   */
  private spacingMs(): number {
    if (this.rate !== undefined) return 1000 / this.rate;
    if (this.latencies.length === 0) return 0;
    const mean = this.latencies.reduce((sum, latency) => sum + latency, 0) / this.latencies.length;
    return mean / Math.floor(this.concurrency);
  }

  private forgetStartsBefore(time: number): void {
    let old = 0;
    while (old < this.starts.length && this.starts[old]! <= time) old++;
    this.starts.splice(0, old);
  }

  private inSlowStart(): boolean {
    return this.lastDecreaseAt === Number.NEGATIVE_INFINITY;
  }

  private decrease(factor: number): void {
    this.lastDecreaseAt = this.options.clock.now();
    this.concurrency = Math.max(1, this.concurrency * factor);
  }
}
