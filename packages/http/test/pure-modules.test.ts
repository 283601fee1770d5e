import { imageError } from '@imagegen/core/internal';
import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../src/index.js';
import { gatewayErrorFor, queueSettingsFromEnv } from '../src/internal.js';
import { limiterWindow } from '../src/queue/bullmq-worker.js';

describe('limiterWindow', () => {
  it.each([
    [20, { max: 2, duration: 100 }],
    [50, { max: 5, duration: 100 }],
    [3, { max: 1, duration: 333 }],
    [0.5, { max: 1, duration: 2000 }],
  ])('%d/s is %j: tenth-second windows where the rate allows', (rate, window) => {
    expect(limiterWindow(rate)).toEqual(window);
    // The window never lets more through than the rate.
    expect((window.max / window.duration) * 1000).toBeLessThanOrEqual(rate + 0.01);
  });
});

describe('TokenBucketLimiter (injected clock)', () => {
  it('a burst, then one token per 1/perSecond, with the wait it asks for', async () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ burst: 2, perSecond: 4, now: () => now });
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 250 });
    expect(await limiter.take('b')).toEqual({ allowed: true });
    now += 250;
    expect(await limiter.take('a')).toEqual({ allowed: true });
    now += 10_000;
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toMatchObject({ allowed: false });
  });
});

describe('gatewayErrorFor', () => {
  it.each([
    ['invalid_prompt', 400, 'invalid_prompt'],
    ['unauthorized', 502, 'upstream_unauthorized'],
    ['server_error', 502, 'upstream_error'],
    ['timeout', 504, 'upstream_timeout'],
    ['io', 500, 'storage_error'],
    ['closed', 503, 'shutting_down'],
  ] as const)('%s is %i %s', (code, status, answer) => {
    const error = gatewayErrorFor(imageError(code, 'flux'));
    expect(error).toMatchObject({ status, code: answer });
  });

  it('a 429 passes Retry-After through (at least 1 s); a bad_request refused before sending is invalid_value', () => {
    expect(gatewayErrorFor(imageError('rate_limited', 'flux', { retryAfterMs: 1500 })).headers).toEqual({ 'retry-after': '2' });
    expect(gatewayErrorFor(imageError('rate_limited', 'flux', { retryAfterMs: 10 })).headers).toEqual({ 'retry-after': '1' });
    expect(gatewayErrorFor(imageError('bad_request', 'flux', { detail: 'steps' })).code).toBe('invalid_value');
    expect(gatewayErrorFor(imageError('bad_request', 'flux', { status: 400 })).code).toBe('upstream_bad_request');
  });
});

describe('queueSettingsFromEnv and IMAGEGEN_MAX_RATE', () => {
  it("an account's requests a minute become the queue's shared rate, unless IMAGEGEN_QUEUE_RATE_LIMIT says otherwise", () => {
    const redis = { IMAGEGEN_REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(queueSettingsFromEnv({ ...redis, IMAGEGEN_MAX_RATE: '720/min' }).ratePerSecond).toBe(12);
    expect(queueSettingsFromEnv({ ...redis, IMAGEGEN_MAX_RATE: '720', IMAGEGEN_QUEUE_RATE_LIMIT: '5' }).ratePerSecond).toBe(5);
    expect(queueSettingsFromEnv(redis).ratePerSecond).toBeUndefined();
    expect(() => queueSettingsFromEnv({ ...redis, IMAGEGEN_MAX_RATE: 'fast' })).toThrow('IMAGEGEN_MAX_RATE must be a whole number');
  });
});
