import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveLimiter, AdaptiveLimiters, systemClock, type UpstreamPermit } from '../src/index.js';
import { limiterFromEnv, parseMaxRate } from '../src/node/index.js';

// Fake timers drive the system clock: no test waits for real time.
beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Asks for `count` permits and keeps those granted so far, in order, with when (ms from the start). */
function ask(limiter: AdaptiveLimiter, count: number, signal?: AbortSignal) {
  const granted: UpstreamPermit[] = [];
  const times: number[] = [];
  const pending = Array.from({ length: count }, () =>
    limiter.acquire(signal).then((permit) => {
      times.push(Date.now() - 1_000_000);
      granted.push(permit);
    }),
  );
  return { granted, times, pending };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('AdaptiveLimiter', () => {
  it('starts at 2, doubles while answers come back fast and clean, and spreads the starts over a round', async () => {
    const limiter = new AdaptiveLimiter({ clock: systemClock });
    const { granted, times } = ask(limiter, 20);
    await settle();
    expect(times).toEqual([0, 0]);
    for (const permit of granted.splice(0)) permit.release({ kind: 'ok', latencyMs: 500 });
    await vi.advanceTimersByTimeAsync(1000);
    // 4 at once now, the starts spread over a round: 500 / 3 ms after the first answer, then 500 / 4.
    expect(limiter.state()).toMatchObject({ concurrency: 4, inFlight: 4, waiting: 14 });
    expect(times.slice(2)).toEqual([0, 167, 292, 417]);
    for (const permit of granted.splice(0)) permit.release({ kind: 'ok', latencyMs: 500 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(limiter.state()).toMatchObject({ concurrency: 8, inFlight: 8 });
  });

  it('a 429 pauses every start for its Retry-After, slows down once per round, then paces the starts', async () => {
    const limiter = new AdaptiveLimiter({ clock: systemClock, initialConcurrency: 4 });
    const { granted, times } = ask(limiter, 30);
    await settle();
    expect(times).toEqual([0, 0, 0, 0]);
    // Two attempts of the same round meet the limit: one decrease, not two.
    granted[0]!.release({ kind: 'throttled', retryAfterMs: 1500 });
    granted[1]!.release({ kind: 'throttled', retryAfterMs: 1500 });
    // The first 429 ends the ramp: 4 starts in the last 2 s, 2 a second achieved, paced at half of it; 4 at once become 3.
    expect(limiter.state()).toMatchObject({ concurrency: 3, ratePerMinute: 60, inFlight: 2 });
    await vi.advanceTimersByTimeAsync(1499);
    expect(times).toHaveLength(4);
    granted[2]!.release({ kind: 'failed' });
    granted[3]!.release({ kind: 'failed' });
    await vi.advanceTimersByTimeAsync(3000);
    // Nothing before the pause ends, then one start a second.
    const after = times.slice(4);
    expect(after[0]).toBe(1500);
    for (let index = 1; index < after.length; index++) expect(after[index]! - after[index - 1]!).toBe(1000);
    expect(after.length).toBe(3);
  });

  it('after a 429 the rate and the concurrency climb back additively, one step per clean answer', async () => {
    const limiter = new AdaptiveLimiter({ clock: systemClock, initialConcurrency: 4 });
    const { granted } = ask(limiter, 200);
    await settle();
    const [throttled, ...rest] = granted.splice(0);
    throttled!.release({ kind: 'throttled', retryAfterMs: 0 });
    const after = limiter.state();
    expect(after).toMatchObject({ concurrency: 3, ratePerMinute: 60 });
    // Each clean answer: the rate grows by 0.1 / rate starts a second, the concurrency by 1 / concurrency.
    rest[0]!.release({ kind: 'ok', latencyMs: 300 });
    expect(limiter.state().ratePerMinute).toBe(66);
    rest[1]!.release({ kind: 'ok', latencyMs: 300 });
    rest[2]!.release({ kind: 'ok', latencyMs: 300 });
    expect(limiter.state().concurrency).toBe(3);
    await vi.advanceTimersByTimeAsync(2000);
    granted.shift()!.release({ kind: 'ok', latencyMs: 300 });
    expect(limiter.state().concurrency).toBe(4);
  });

  it('a latency rise (4 times the fastest recent answer) shrinks the concurrency', async () => {
    const limiter = new AdaptiveLimiter({ clock: systemClock, initialConcurrency: 10 });
    const { granted } = ask(limiter, 10);
    await settle();
    granted[0]!.release({ kind: 'ok', latencyMs: 200 });
    expect(limiter.state().concurrency).toBe(11);
    granted[1]!.release({ kind: 'ok', latencyMs: 900 });
    expect(limiter.state().concurrency).toBe(9);
    // Failures that say nothing about capacity change nothing.
    granted[2]!.release({ kind: 'failed' });
    expect(limiter.state().concurrency).toBe(9);
  });

  it('a ceiling (maxPerMinute) paces the starts from the first one', async () => {
    const limiter = new AdaptiveLimiter({ clock: systemClock, maxPerMinute: 60, initialConcurrency: 10 });
    const { granted } = ask(limiter, 5);
    await settle();
    expect(granted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(granted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toHaveLength(2);
    // Clean answers never lift the rate over the ceiling.
    for (let step = 0; step < 3; step++) {
      for (const permit of granted.splice(0)) permit.release({ kind: 'ok', latencyMs: 100 });
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(limiter.state().ratePerMinute).toBe(60);
  });

  it('a caller that gives up while waiting is dropped with its reason, and never granted', async () => {
    const limiter = new AdaptiveLimiter({ clock: systemClock, initialConcurrency: 1 });
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(limiter.state()).toMatchObject({ inFlight: 1, waiting: 0 });
    first.release({ kind: 'ok', latencyMs: 10 });
    expect(limiter.state().inFlight).toBe(0);
  });

  it('AdaptiveLimiters keeps one limiter per upstream', async () => {
    const limiters = new AdaptiveLimiters({ clock: systemClock, initialConcurrency: 1 });
    const flux = await limiters.acquire('rest:flux');
    await limiters.acquire('rest:sdxl');
    expect(Object.keys(limiters.states())).toEqual(['rest:flux', 'rest:sdxl']);
    expect(limiters.states()['rest:flux']).toMatchObject({ inFlight: 1 });
    flux.release({ kind: 'ok', latencyMs: 1 });
    expect(limiters.states()['rest:flux']).toMatchObject({ inFlight: 0 });
  });
});

describe('limiterFromEnv (the gateway and the queue workers)', () => {
  it('is on unless IMAGEGEN_ADAPTIVE=0; IMAGEGEN_MAX_RATE caps it and is checked', () => {
    expect(limiterFromEnv({})).toBeInstanceOf(AdaptiveLimiters);
    expect(limiterFromEnv({ IMAGEGEN_ADAPTIVE: '0' })).toBeUndefined();
    expect(limiterFromEnv({ IMAGEGEN_ADAPTIVE: 'off', IMAGEGEN_MAX_RATE: '600/min' })).toBeInstanceOf(AdaptiveLimiters);
    expect(() => limiterFromEnv({ IMAGEGEN_MAX_RATE: 'lots' })).toThrow('IMAGEGEN_MAX_RATE must be a whole number of requests a minute');
    expect(parseMaxRate('720/min')).toBe(720);
    expect(parseMaxRate('0')).toBeUndefined();
  });
});
