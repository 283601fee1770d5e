import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FLUX_URL, makeGenerator, PNG_BYTES, useMsw } from './support/harness.js';

const server = useMsw();
const png = () => new HttpResponse(PNG_BYTES, { headers: { 'content-type': 'image/png' } });

/** Serves `statuses` in order (then a PNG), recording when each request arrived on the fake clock. */
function sequence(statuses: number[], headers: Record<string, string> = {}) {
  const times: number[] = [];
  server.use(
    http.get(FLUX_URL, () => {
      times.push(Date.now());
      const status = statuses[times.length - 1];
      return status === undefined ? png() : new HttpResponse('x', { status, headers });
    }),
  );
  return times;
}

const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]!);

describe('retry schedule (fake timers)', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => void vi.useRealTimers());

  it('waits 1 s, 2 s, 4 s between attempts and gives up after 3 retries', async () => {
    const times = sequence([500, 502, 503, 504]);
    const { generator } = makeGenerator();
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(999);
    expect(times).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 2000 + 4000);
    const result = await pending;
    expect(gaps(times)).toEqual([1000, 2000, 4000]);
    expect(result).toMatchObject({ ok: false, error: { code: 'server_error', status: 504, attempts: 4 } });
  });

  it('succeeds on attempt 3 after 500, 500 and counts the attempts', async () => {
    const times = sequence([500, 500]);
    const retries: number[] = [];
    const { generator } = makeGenerator({ onRetry: (event) => retries.push(event.delayMs) });
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(3000);
    expect(await pending).toMatchObject({ ok: true, attempts: 3 });
    expect(times).toHaveLength(3);
    expect(retries).toEqual([1000, 2000]);
  });

  it('caps a delay at maxDelayMs (10 s by default)', async () => {
    const times = sequence([500, 500, 500, 500]);
    const { generator } = makeGenerator({ retry: { retries: 4, baseDelayMs: 4000 } });
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(4000 + 8000 + 10_000 + 10_000);
    expect(await pending).toMatchObject({ ok: true, attempts: 5 });
    expect(gaps(times)).toEqual([4000, 8000, 10_000, 10_000]);
  });

  it('never retries a 4xx', async () => {
    const times = sequence([400]);
    const { generator } = makeGenerator();
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', attempts: 1 } });
    expect(times).toHaveLength(1);
  });

  it('does not retry 429 unless asked', async () => {
    const times = sequence([429], { 'retry-after': '3' });
    const { generator } = makeGenerator();
    const result = await generator.generateWithFlux('a cat');
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', status: 429, retryAfterMs: 3000, retryable: true, attempts: 1 },
    });
    if (!result.ok) expect(result.error.message).toBe('Rate limit exceeded, please retry after 3 s');
    expect(times).toHaveLength(1);
  });

  it('with on429, waits what Retry-After asks, then succeeds', async () => {
    const times = sequence([429, 429], { 'retry-after': '3' });
    const { generator } = makeGenerator({ retry: { on429: true } });
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(6000);
    expect(await pending).toMatchObject({ ok: true, attempts: 3 });
    expect(gaps(times)).toEqual([3000, 3000]);
  });

  it('with on429, honours retry-after-ms and an HTTP date, and gives up on a wait past the cap', async () => {
    const times = sequence([429], { 'retry-after-ms': '1500' });
    const { generator } = makeGenerator({ retry: { on429: true } });
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(1500);
    expect(await pending).toMatchObject({ ok: true, attempts: 2 });
    expect(gaps(times)).toEqual([1500]);

    const date = new Date(Date.now() + 5000).toUTCString();
    const dated = sequence([429], { 'retry-after': date });
    const second = generator.generateWithFlux('a cat', { retry: { on429: true } });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await second).toMatchObject({ ok: true, attempts: 2 });
    expect(gaps(dated)[0]).toBeGreaterThanOrEqual(4000);

    sequence([429], { 'retry-after': '3600' });
    const capped = await generator.generateWithFlux('a cat', { retry: { on429: true } });
    expect(capped).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 3_600_000, attempts: 1 } });
  });

  it('a network error is retried', async () => {
    let calls = 0;
    server.use(http.get(FLUX_URL, () => (++calls === 1 ? HttpResponse.error() : png())));
    const { generator } = makeGenerator();
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(1000);
    expect(await pending).toMatchObject({ ok: true, attempts: 2 });
  });

  it('a network error after every retry is network with the message of its code', async () => {
    server.use(http.get(FLUX_URL, () => HttpResponse.error()));
    const { generator } = makeGenerator();
    const pending = generator.generateWithFlux('a cat');
    await vi.advanceTimersByTimeAsync(7000);
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'network', attempts: 4, retryable: true } });
    if (!result.ok) expect(result.error.message).toMatch(/^Network error during image generation: /);
  });
});
