import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  startSimulatedWorkersAi,
  createGate,
  startRedis,
  startSwift,
  startTestWorker,
  type TestRedis,
  type TestS3,
  type TestWorker,
  TINY_PNG,
} from '@imagegen/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startCli } from './support/run-cli.js';

// Real processes of the built CLI sharing a real redis-server and a real S3 server (Swift).
let redis: TestRedis;
let s3: TestS3;
let client: S3Client;
let worker: TestWorker;
let cwd: string;
let buckets = 0;
const running: Array<ReturnType<typeof startCli>> = [];

beforeAll(async () => {
  [redis, s3, worker] = await Promise.all([startRedis(), startSwift(), startTestWorker()]);
  client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  cwd = await mkdtemp(join(tmpdir(), 'imagegen-scale-'));
}, 60_000);
afterEach(async () => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  worker.reset();
  worker.respond(undefined);
});
afterAll(async () => {
  client?.destroy();
  await Promise.all([worker?.close(), redis?.stop(), s3?.stop()]);
  await rm(cwd, { recursive: true, force: true });
});

/** A fresh bucket and the environment every process of one test shares. */
async function sharedEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const bucket = `imagegen-scale-${++buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  // A fresh Redis database per test: queues and limiter keys of one test never meet another's.
  return {
    ...s3.env,
    IMAGEGEN_S3_BUCKET: bucket,
    IMAGEGEN_REDIS_URL: `${redis.url}/${buckets}`,
    FLUX_WORKER_URL: worker.fluxUrl,
    IMAGEGEN_LOG_LEVEL: 'warn',
    IMAGEGEN_RATE_LIMIT_PER_SECOND: '0',
    ...extra,
  };
}

async function start(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ cli: ReturnType<typeof startCli>; match: RegExpExecArray }> {
  const cli = startCli(args, { cwd, env });
  running.push(cli);
  let match: RegExpExecArray | null = null;
  await vi.waitFor(
    () => {
      match = ready.exec(cli.output().stderr);
      if (!match) throw new Error(`not ready: ${cli.output().stderr}`);
    },
    { timeout: 20_000, interval: 50 },
  );
  return { cli, match: match! };
}

const startGateway = async (env: Record<string, string>) => {
  const { cli, match } = await start(['serve', '--port', '0', '--no-jobs'], env, /gateway listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return { cli, url: match[1]! };
};
const startQueueWorker = async (env: Record<string, string>, concurrency = 4) =>
  (await start(['queue-worker', '--concurrency', String(concurrency)], env, /queue worker taking/)).cli;

const generate = (url: string, prompt: string) =>
  fetch(`${url}/v1/images/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt }),
  });

async function bucketKeys(bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

describe('two gateways and two queue workers on one Redis and one bucket', () => {
  it('500 requests over both gateways all succeed, images are served by either gateway, the shared worker limit holds', async () => {
    const rate = 20;
    const env = await sharedEnv({ IMAGEGEN_QUEUE_RATE_LIMIT: String(rate) });
    const gateways = await Promise.all([startGateway(env), startGateway(env)]);
    await Promise.all([startQueueWorker(env), startQueueWorker(env)]);

    const total = 500;
    const urls: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    // 40 clients at once, each alternating gateways.
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        while (next < total) {
          const index = next++;
          const response = await generate(gateways[index % 2]!.url, `prompt ${index}`);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.ok) urls[index] = ((await response.json()) as { data: Array<{ url: string }> }).data[0]!.url;
          else await response.arrayBuffer();
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: total });
    expect(await bucketKeys(env.IMAGEGEN_S3_BUCKET!)).toHaveLength(total);

    // Made through the first gateway, fetched from the second.
    const name = new URL(urls[0]!).pathname;
    const served = await fetch(`${gateways[1].url}${name}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG);

    // The limiter's own arithmetic, not the machine's speed: it grants at most `max` calls per
    // window and a window starts only when the last one has ended, so N calls span at least
    // (ceil(N / max) - 1) windows, whatever the machine. The upstream sees each call a little
    // after its grant; the first one's delay (allowed: one second) is all that can shorten the
    // span. A limit per process instead of across them would halve it.
    const times = worker.requests.map((request) => request.at).sort((a, b) => a - b);
    expect(times).toHaveLength(total);
    // The queue worker grants rate/10 calls per tenth of a second (limiterWindow in @imagegen/http).
    const max = rate / 10;
    const span = times.at(-1)! - times[0]!;
    const floor = (Math.ceil(total / max) - 1) * 100;
    console.info(
      `scale-out: ${total} upstream calls in ${(span / 1000).toFixed(1)} s (${((total - 1) / (span / 1000)).toFixed(1)}/s; the limit of ${rate}/s allows no less than ${(floor / 1000).toFixed(1)} s)`,
    );
    expect(span).toBeGreaterThanOrEqual(floor - 1000);
  }, 180_000);

  it('IMAGEGEN_MAX_RATE holds across a gateway and two queue workers: a simulated account at that limit answers no 429', async () => {
    const limit = 1200;
    // Starts are reserved on one schedule in Redis: together the processes keep the account's
    // pace. Limits per process (three times the rate) would empty its burst within seconds.
    const ai = await startSimulatedWorkersAi({ limitPerMinute: limit, burstSeconds: 2, latencyMs: [20, 60] });
    try {
      const { FLUX_WORKER_URL: _, ...env } = await sharedEnv({ ...ai.env, IMAGEGEN_MAX_RATE: `${limit}/min` });
      const gateway = await startGateway(env);
      await Promise.all([startQueueWorker(env, 8), startQueueWorker(env, 8)]);
      const total = 200;
      let next = 0;
      const statuses = new Map<number, number>();
      await Promise.all(
        Array.from({ length: 40 }, async () => {
          while (next < total) {
            const response = await generate(gateway.url, `paced ${next++}`);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            await response.arrayBuffer();
          }
        }),
      );
      expect(Object.fromEntries(statuses)).toEqual({ 200: total });
      expect(ai.requests.filter((request) => request.status === 429)).toHaveLength(0);
      expect(ai.requests).toHaveLength(total);
    } finally {
      await ai.close();
    }
  }, 120_000);

  it('SIGKILL of a queue worker mid-job: every job completes on the other once the lock expires, each image stored once and whole', async () => {
    const env = await sharedEnv({ IMAGEGEN_QUEUE_LOCK_MS: '2000', IMAGEGEN_QUEUE_STALLED_MS: '1000' });
    // The first eight upstream calls wait for the kill; the ones run again after it answer at once.
    const gate = createGate();
    worker.respond((_, index) => (index < 8 ? { holdUntil: gate.opened } : undefined));
    const gateway = await startGateway(env);
    const [doomed] = await Promise.all([startQueueWorker(env, 4), startQueueWorker(env, 4)]);

    const responses = Array.from({ length: 8 }, (_, index) => generate(gateway.url, `slow ${index}`));
    // Both workers are busy (4 jobs each): every request has reached the upstream.
    await vi.waitFor(() => expect(worker.requests).toHaveLength(8), { timeout: 15_000, interval: 10 });
    doomed.child.kill('SIGKILL');
    await doomed.done;
    gate.open();

    // The bound on the failover time is the test's own timeout (lock + stalled check + retries).
    const settled = await Promise.all(responses);
    expect(settled.map((response) => response.status)).toEqual(Array(8).fill(200));
    const names = await Promise.all(
      settled.map(async (response) =>
        new URL(((await response.json()) as { data: Array<{ url: string }> }).data[0]!.url).pathname.split('/').pop()!,
      ),
    );
    // The killed worker's four jobs ran again elsewhere: 12 upstream calls, 8 images.
    expect(worker.requests).toHaveLength(12);

    const keys = await bucketKeys(env.IMAGEGEN_S3_BUCKET!);
    expect(keys).toEqual([...names].sort());
    for (const key of keys) {
      const object = await client.send(new GetObjectCommand({ Bucket: env.IMAGEGEN_S3_BUCKET!, Key: key }));
      expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(TINY_PNG);
    }
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^imagegen_queue_stalled_jobs_total\{model="flux"\} 4$/m);
  }, 60_000);

  it('SIGTERM drains a queue worker: its active job finishes, then it exits 0', async () => {
    const env = await sharedEnv();
    const gate = createGate();
    worker.respond(() => ({ holdUntil: gate.opened }));
    const gateway = await startGateway(env);
    const queueWorker = await startQueueWorker(env);
    const response = generate(gateway.url, 'finish me');
    await vi.waitFor(() => expect(worker.requests).toHaveLength(1), { timeout: 10_000, interval: 10 });
    queueWorker.child.kill('SIGTERM');
    // The job is still running when the worker starts to drain; only then does it finish.
    await vi.waitFor(() => expect(queueWorker.output().stderr).toContain('draining'), { timeout: 10_000, interval: 10 });
    gate.open();
    expect((await response).status).toBe(200);
    const run = await queueWorker.done;
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('draining');
  }, 60_000);

  it('queue-worker refuses a bad or unreachable IMAGEGEN_REDIS_URL with a clear message, never the URL', async () => {
    const missing = await startCli(['queue-worker'], { cwd }).done;
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('IMAGEGEN_REDIS_URL is not set');
    const bad = await startCli(['queue-worker'], { cwd, env: { IMAGEGEN_REDIS_URL: 'localhost:6379' } }).done;
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('must be a redis:// or rediss:// URL');
    const away = await startCli(['queue-worker'], { cwd, env: { IMAGEGEN_REDIS_URL: 'redis://:hunter2secret@127.0.0.1:1' } }).done;
    expect(away.code).toBe(1);
    expect(away.stderr).toContain('cannot reach Redis');
    expect(away.stderr).not.toContain('hunter2secret');
    expect(away.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
