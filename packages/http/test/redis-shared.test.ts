import { createGate, startRedis, startTestWorker, type TestRedis, type TestWorker } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { RedisRateLimiter, TokenBucketLimiter } from '../src/index.js';
import { makeGateway } from './support/gateway.js';

// A real redis-server (Debian's, installed by .ci/run): no mock stands in for it.
let redis: TestRedis;
let worker: TestWorker;
beforeAll(async () => {
  redis = await startRedis();
  worker = await startTestWorker({ logRequests: false });
});
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
});

describe('asynchronous jobs through Redis', () => {
  it('a job started on one gateway is polled to done on another', async () => {
    const env = { IMAGEGEN_REDIS_URL: redis.url } as Record<string, string>;
    const first = await makeGateway(worker, { env });
    const second = await makeGateway(worker, { env });
    try {
      const started = await first.post({ prompt: 'shared job', response_format: 'b64_json' }, { prefer: 'respond-async' });
      expect(started.status).toBe(202);
      const location = started.headers.get('location')!;
      let job: { status: string; result?: { data: Array<{ b64_json: string }> } } | undefined;
      await vi.waitFor(
        async () => {
          job = (await (await second.app.request(location)).json()) as typeof job;
          expect(job?.status).toBe('succeeded');
        },
        { timeout: 10_000, interval: 20 },
      );
      expect(job?.result?.data[0]?.b64_json.length).toBeGreaterThan(0);
      expect((await second.app.request('/v1/jobs/job_nope')).status).toBe(404);
      const ready = (await (await second.app.request('/readyz')).json()) as { ready: boolean; redis: { reachable: boolean } };
      expect(ready).toMatchObject({ ready: true, redis: { reachable: true } });
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });
});

describe('the per-key rate limit through Redis', () => {
  it('holds across two gateways that share one Redis', async () => {
    const env = { IMAGEGEN_REDIS_URL: redis.url } as Record<string, string>;
    const first = await makeGateway(worker, { env, keys: ['shared-key'], rateLimit: { burst: 4, perSecond: 0.1 } });
    const second = await makeGateway(worker, { env, keys: ['shared-key'], rateLimit: { burst: 4, perSecond: 0.1 } });
    try {
      const headers = { authorization: 'Bearer shared-key' };
      const body = { prompt: 'limited', response_format: 'b64_json' };
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        const response = await (index % 2 ? second : first).post(body, headers);
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        await response.arrayBuffer();
      }
      // 4 allowed in all, whichever gateway took them; one gateway alone would have allowed 3 + 3.
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });
});

describe('one token bucket, in memory or in Redis', () => {
  it('grants the same requests, with the same Retry-After, for the same arrivals', async () => {
    const client = new Redis(redis.url);
    let now = 1_700_000_000_000;
    const options = { burst: 3, perSecond: 2, now: () => now };
    const memory = new TokenBucketLimiter(options);
    const shared = new RedisRateLimiter(client, { ...options, keyPrefix: 'side-by-side' });
    // [ms since start, client]: a burst, a drain, partial refills, an idle gap, a second client.
    const arrivals: Array<[number, string]> = [
      [0, 'a'],
      [0, 'a'],
      [0, 'a'],
      [0, 'a'],
      [100, 'a'],
      [499, 'a'],
      [500, 'a'],
      [500, 'b'],
      [750, 'a'],
      [1_000, 'a'],
      [1_001, 'a'],
      [1_250, 'b'],
      [1_250, 'b'],
      [1_250, 'b'],
      [1_250, 'b'],
      [5_000, 'a'],
      [5_000, 'a'],
      [5_000, 'a'],
      [5_000, 'a'],
      [5_333, 'a'],
    ];
    const start = now;
    const decisions: string[] = [];
    try {
      for (const [at, who] of arrivals) {
        now = start + at;
        const inMemory = await memory.take(who);
        expect(await shared.take(who)).toEqual(inMemory);
        decisions.push(inMemory.allowed ? 'ok' : `wait ${inMemory.retryAfterMs}`);
      }
      // Decided in Redis, not by the in-memory fallback.
      expect(await client.hget('side-by-side:a', 'tokens')).not.toBeNull();
    } finally {
      client.disconnect();
    }
    // The script above exercises both answers, not only one.
    expect(decisions.filter((decision) => decision === 'ok').length).toBeGreaterThan(5);
    expect(decisions.filter((decision) => decision !== 'ok').length).toBeGreaterThan(5);
  });
});

describe('Idempotency-Key through Redis', () => {
  it('across two gateways: concurrently and after completion one upstream call, identical answers; another body 422', async () => {
    const counted = await startTestWorker();
    const env = { IMAGEGEN_REDIS_URL: redis.url } as Record<string, string>;
    const first = await makeGateway(counted, { env });
    const second = await makeGateway(counted, { env });
    try {
      const gate = createGate();
      counted.script([{ holdUntil: gate.opened }]);
      const body = { prompt: 'one fox for two gateways', response_format: 'b64_json', seed: 9 };
      const key = { 'idempotency-key': 'shared-order-7' };
      const a = first.post(body, key);
      await vi.waitFor(() => expect(counted.requests).toHaveLength(1), { timeout: 10_000 });
      const b = second.post(body, key);
      gate.open();
      const [answerA, answerB] = await Promise.all([a, b]);
      const text = await answerA.text();
      expect(answerA.status).toBe(200);
      expect(await answerB.text()).toBe(text);
      const later = await second.post(body, key);
      expect(await later.text()).toBe(text);
      expect(later.headers.get('idempotent-replayed')).toBe('true');
      expect(counted.requests).toHaveLength(1);
      const other = await first.post({ ...body, prompt: 'another' }, key);
      expect(other.status).toBe(422);
      await other.arrayBuffer();
    } finally {
      await first.dispose();
      await second.dispose();
      await counted.close();
    }
  });
});
