import { type Clock } from '@imagegen/core';
import { startRedis, type TestRedis } from '@imagegen/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisUpstreamLimiter } from '../src/index.js';

// A real redis-server; the limiters' clock is a number the test moves (Redis' own time is never read).
let redis: TestRedis;
let clients: Redis[] = [];
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  clients = [];
  await redis?.stop();
});

/** Two processes' limiters over one Redis, on one manual clock. */
function twoProcesses(maxPerMinute?: number) {
  const time = { now: 1_000_000 };
  const clock: Clock = { now: () => time.now, sleep: () => Promise.resolve() };
  const prefix = `test:${++prefixes}:`;
  const make = () => {
    const client = new Redis(redis.url);
    clients.push(client);
    return new RedisUpstreamLimiter(client, { clock, prefix, ...(maxPerMinute ? { maxPerMinute } : {}) });
  };
  return { time, a: make(), b: make() };
}

describe('RedisUpstreamLimiter: one schedule for every process of one Redis', () => {
  it('a ceiling paces the starts of both processes together, one every 60000 / max ms', async () => {
    const { a, b } = twoProcesses(600);
    const waits = [await a.reserve('rest:flux'), await b.reserve('rest:flux'), await a.reserve('rest:flux'), await b.reserve('rest:flux')];
    expect(waits).toEqual([0, 100, 200, 300]);
    // Another upstream has its own schedule.
    expect(await b.reserve('rest:sdxl')).toBe(0);
  });

  it('without a ceiling nothing is paced until a 429: then everyone pauses for its Retry-After and shares half the rate achieved', async () => {
    const { time, a, b } = twoProcesses();
    const permits = [
      await a.acquire('rest:flux'),
      await b.acquire('rest:flux'),
      await a.acquire('rest:flux'),
      await b.acquire('rest:flux'),
    ];
    expect(await a.reserve('rest:flux')).toBe(0);
    // 5 starts in the last 2 s: 2.5 a second achieved, halved: one start every 800 ms, after the 500 ms pause.
    permits[0]!.release({ kind: 'throttled', retryAfterMs: 500 });
    await expect.poll(async () => (await a.sharedStates())['rest:flux']?.ratePerMinute).toBe(75);
    time.now += 100;
    expect(await b.reserve('rest:flux')).toBe(400);
    expect(await a.reserve('rest:flux')).toBe(1200);
    // A 429 of the same round (started before the decrease) decreases nothing more.
    permits[1]!.release({ kind: 'throttled', retryAfterMs: 0 });
    // A clean answer raises the shared rate by 0.1 / rate starts a second.
    permits[2]!.release({ kind: 'ok', latencyMs: 300 });
    await expect.poll(async () => (await b.sharedStates())['rest:flux']?.ratePerMinute).toBe(Math.round((1.25 + 0.1 / 1.25) * 60));
  });
});
