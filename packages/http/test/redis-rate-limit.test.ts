import { startRedis, startTestWorker, type TestRedis, type TestWorker } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
