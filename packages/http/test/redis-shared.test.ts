import { startRedis, startTestWorker, type TestRedis, type TestWorker } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
