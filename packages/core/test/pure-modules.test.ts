import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Clock, defaultModels, ERROR_CODES, ImageGenerationError, loadSettings, systemClock } from '../src/index.js';
import { ErrorFactory, imageError } from '../src/internal.js';
import { Watchdog } from '../src/watchdog.js';

afterEach(() => void vi.useRealTimers());

// The system clock has a timer; a clock with only `sleep` gets one built on it.
const sleepOnly: Clock = { now: () => systemClock.now(), sleep: (ms, signal) => systemClock.sleep(ms, signal) };

describe.each([
  ['the system clock', systemClock],
  ['a clock with only sleep', sleepOnly],
])('Watchdog on %s (fake timers)', (_, clock) => {
  it('fires after the limit of silence, and each touch restarts the count', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const expired = vi.fn();
    const watchdog = new Watchdog(clock, 1000, expired);
    await vi.advanceTimersByTimeAsync(900);
    watchdog.touch();
    await vi.advanceTimersByTimeAsync(900);
    expect(expired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(expired).toHaveBeenCalledOnce();
  });

  it('a shorter phase takes effect at once; stop silences it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const expired = vi.fn();
    const watchdog = new Watchdog(clock, 120_000, expired);
    await vi.advanceTimersByTimeAsync(10);
    watchdog.phase(500);
    await vi.advanceTimersByTimeAsync(499);
    expect(expired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(expired).toHaveBeenCalledOnce();

    const quiet = vi.fn();
    new Watchdog(clock, 100, quiet).stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(quiet).not.toHaveBeenCalled();
  });
});

describe('ErrorFactory', () => {
  const settings = loadSettings({ SDXL_WORKER_URL: 'https://sdxl.example', SDXL_API_KEY: 'sk-secret-0123456789' });
  const errors = new ErrorFactory(defaultModels, settings);

  it("has a message for every code, the route's own words first, and redacts the key", () => {
    for (const code of ERROR_CODES) expect(errors.make(code, 'flux').message.length).toBeGreaterThan(5);
    const refused = { status: 401, headers: new Headers() };
    expect(errors.forStatus('sdxl', refused, 0, undefined, { unauthorized: 'SDXL API key invalid or missing' }).message).toBe(
      'SDXL API key invalid or missing',
    );
    expect(errors.forStatus('sdxl', refused, 0).message).toBe('Worker refused the request as unauthorized (HTTP 401)');
    expect(errors.make('bad_request', 'flux', { detail: 'sent sk-secret-0123456789 back' }).message).toBe(
      'Invalid prompt or request format: sent [redacted] back',
    );
  });

  it('classifies what an attempt threw: ours as it is, aborts, timeouts and network failures', () => {
    const own = errors.make('server_error', 'flux', { status: 503 });
    const live = new AbortController().signal;
    expect(errors.fromThrown(own, 'flux', live)).toBe(own);
    const aborted = AbortSignal.abort();
    expect(errors.fromThrown(new Error('x'), 'flux', aborted).code).toBe('aborted');
    const timeout = Object.assign(new Error('fetch failed'), { cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } });
    expect(errors.fromThrown(timeout, 'flux', live)).toMatchObject({ code: 'timeout', retryable: true });
    const refused = Object.assign(new Error('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    expect(errors.fromThrown(refused, 'flux', live).message).toBe(
      'Network error during image generation: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('a 429 carries how long it asked to wait', () => {
    const response = new Response(null, { status: 429, headers: { 'retry-after': '7' } });
    expect(errors.forStatus('flux', response, 0)).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 7000, retryable: true });
  });

  it('errors never change: withAttempts makes a new one', () => {
    const first = imageError('timeout', 'flux', { retryable: true });
    const final = first.withAttempts(4);
    expect(first.attempts).toBe(0);
    expect(final).toBeInstanceOf(ImageGenerationError);
    expect(final.toJSON()).toEqual({ ...first.toJSON(), attempts: 4 });
    expect(final.withAttempts(4)).toBe(final);
  });
});
