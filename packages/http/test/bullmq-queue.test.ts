import { createImageGenerator } from '@imagegen/core/node';
import { startRedis, startTestWorker, type TestRedis, type TestWorker } from '@imagegen/testkit';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createQueueWorker, LocalImageStorage } from '../src/index.js';
import { queueSettingsFromEnv } from '../src/internal.js';
import { makeGateway, WORKER_KEY } from './support/gateway.js';

// A real redis-server: BullMQ runs its Lua scripts there, no mock stands in for it.
let redis: TestRedis;
let worker: TestWorker;
beforeAll(async () => {
  redis = await startRedis();
  worker = await startTestWorker();
});
afterEach(() => worker.reset());
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
});

const queueSettings = { attempts: 2, backoffMs: 10 };
const metric = async (app: { request(path: string): Response | Promise<Response> }, name: string): Promise<number> => {
  const text = await (await app.request('/metrics')).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
};

describe('the BullMQ work queue', () => {
  it('retries a retryable failure as a new job attempt, and answers the final failure', async () => {
    const gateway = await makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: redis.url }, queueSettings });
    try {
      worker.script([{ status: 500 }]);
      const recovered = await gateway.post({ prompt: 'recovers', response_format: 'b64_json' });
      expect(recovered.status).toBe(200);
      expect(worker.requests).toHaveLength(2);

      worker.reset();
      worker.script([{ status: 503 }, { status: 503 }, { status: 503 }]);
      const failed = await gateway.post({ prompt: 'keeps failing' });
      expect(failed.status).toBe(502);
      expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('upstream_error');
      // attempts: 2, the generator's own retries off: two calls, not three.
      expect(worker.requests).toHaveLength(2);
    } finally {
      await gateway.dispose();
    }
  });

  it('does not retry what the core calls final (a 400)', async () => {
    const gateway = await makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: redis.url }, queueSettings });
    try {
      worker.script([{ status: 400, body: 'steps out of range' }]);
      const response = await gateway.post({ prompt: 'rejected' });
      expect(response.status).toBe(400);
      expect(worker.requests).toHaveLength(1);
    } finally {
      await gateway.dispose();
    }
  });

  it('a gateway that takes no jobs waits for a queue worker; /metrics shows the depth; the image is named after its job', async () => {
    const gateway = await makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: redis.url }, queueSettings, takeJobs: false });
    const env = {
      FLUX_WORKER_URL: worker.fluxUrl,
      SDXL_WORKER_URL: worker.sdxlUrl,
      SDXL_API_KEY: WORKER_KEY,
      IMAGEGEN_OUTPUT_DIR: gateway.dir,
      IMAGEGEN_LOG_LEVEL: 'silent',
    };
    const generator = createImageGenerator({ env, retry: { retries: 0 } });
    try {
      expect(gateway.app.worker).toBeUndefined();
      const pending = gateway.post({ prompt: 'queued', model: 'sdxl' });
      await vi.waitFor(async () => expect(await metric(gateway.app, 'imagegen_queue_depth')).toBe(1), { timeout: 5000, interval: 20 });
      expect(worker.requests).toHaveLength(0);

      const storage = new LocalImageStorage(gateway.dir, 60_000);
      const queueWorker = createQueueWorker({
        settings: queueSettingsFromEnv({ IMAGEGEN_REDIS_URL: redis.url }),
        generator,
        storage,
        models: ['sdxl'],
        logger: pino({ level: 'silent' }),
      });
      await queueWorker.ready();
      const response = await pending;
      expect(response.status).toBe(200);
      const url = ((await response.json()) as { data: Array<{ url: string }> }).data[0]!.url;
      // image_<model>_<first 8 hex of the job id>_<job creation second>.png: a job run twice writes one image.
      expect(url).toMatch(/\/v1\/images\/image_sdxl_[0-9a-f]{8}_\d+\.png$/);
      // The worker wrote the file; the gateway serves it from the same directory.
      const served = await gateway.app.request(new URL(url).pathname);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(await metric(gateway.app, 'imagegen_queue_depth')).toBe(0);
      await queueWorker.close();
    } finally {
      await generator.close();
      await gateway.dispose();
    }
  });

  it('a request that is cancelled takes its job off the queue', async () => {
    const gateway = await makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: redis.url }, queueSettings, takeJobs: false });
    try {
      const controller = new AbortController();
      const pending = gateway.app.request('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'never mind' }),
        signal: controller.signal,
      });
      await vi.waitFor(async () => expect(await metric(gateway.app, 'imagegen_queue_depth')).toBe(1), { timeout: 5000, interval: 20 });
      controller.abort();
      await Promise.resolve(pending).catch(() => undefined);
      await vi.waitFor(async () => expect(await metric(gateway.app, 'imagegen_queue_depth')).toBe(0), { timeout: 5000, interval: 20 });
    } finally {
      await gateway.dispose();
    }
  });

  it('with Redis away a request is answered 503 queue_unavailable, and the gateway still closes', async () => {
    const gateway = await makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: 'redis://127.0.0.1:1' }, queueSettings: { addTimeoutMs: 200 } });
    const response = await gateway.post({ prompt: 'nowhere to go' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('queue_unavailable');
    expect(((await (await gateway.app.request('/readyz')).json()) as { redis: unknown }).redis).toEqual({ reachable: false });
    await gateway.dispose();
    // Only /readyz's HEAD checks reached the worker: no generation was attempted.
    expect(worker.requests.filter((request) => request.method !== 'HEAD')).toHaveLength(0);
  }, 20_000);

  it('refuses an IMAGEGEN_REDIS_URL that is not a redis URL before opening any connection', async () => {
    await expect(makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: 'localhost:6379' } })).rejects.toThrow(
      'IMAGEGEN_REDIS_URL must be a redis:// or rediss:// URL',
    );
  });
});
