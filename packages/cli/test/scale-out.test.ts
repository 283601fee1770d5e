import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startRedis, startSwift, startTestWorker, type TestRedis, type TestS3, type TestWorker, TINY_PNG } from '@imagegen/testkit';
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
    // 20/s: low enough that a loaded 2-core machine (four CLI processes, Swift, Redis, other
    // test files) still has more capacity than the limit, so the limit is what binds.
    const rate = 20;
    const env = await sharedEnv({ IMAGEGEN_QUEUE_RATE_LIMIT: String(rate) });
    worker.respond(() => ({ delayMs: 50 }));
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

    // The upstream saw the calls at the shared limit: the average within 10%, and no second
    // (a sliding window) above it by more than 10%, give or take one call of arrival jitter.
    const times = worker.requests.map((request) => request.at).sort((a, b) => a - b);
    expect(times).toHaveLength(total);
    const average = ((times.length - 1) / (times.at(-1)! - times[0]!)) * 1000;
    let busiest = 0;
    for (let start = 0, end = 0; start < times.length; start++) {
      while (end < times.length && times[end]! < times[start]! + 1000) end++;
      busiest = Math.max(busiest, end - start);
    }
    console.info(`scale-out: ${total} requests, upstream ${average.toFixed(1)}/s on average, busiest second ${busiest} (limit ${rate}/s)`);
    expect(average).toBeGreaterThan(rate * 0.9);
    expect(average).toBeLessThan(rate * 1.1);
    expect(busiest).toBeLessThanOrEqual(Math.ceil(rate * 1.1) + 1);
  }, 180_000);

  it('SIGKILL of a queue worker mid-job: every job completes on the other within the failover time, each image stored once and whole', async () => {
    const lockMs = 2000;
    const stalledMs = 1000;
    const jobMs = 1500;
    const env = await sharedEnv({ IMAGEGEN_QUEUE_LOCK_MS: String(lockMs), IMAGEGEN_QUEUE_STALLED_MS: String(stalledMs) });
    worker.respond(() => ({ delayMs: jobMs }));
    const gateway = await startGateway(env);
    const [doomed] = await Promise.all([startQueueWorker(env, 4), startQueueWorker(env, 4)]);

    const responses = Array.from({ length: 8 }, (_, index) => generate(gateway.url, `slow ${index}`));
    // Both workers are busy (4 jobs each): every request has reached the upstream.
    await vi.waitFor(() => expect(worker.requests).toHaveLength(8), { timeout: 15_000, interval: 10 });
    const killedAt = Date.now();
    doomed.child.kill('SIGKILL');

    const settled = await Promise.all(responses);
    const failoverMs = Date.now() - killedAt;
    expect(settled.map((response) => response.status)).toEqual(Array(8).fill(200));
    const names = await Promise.all(
      settled.map(async (response) =>
        new URL(((await response.json()) as { data: Array<{ url: string }> }).data[0]!.url).pathname.split('/').pop()!,
      ),
    );
    // The killed worker's four jobs ran again elsewhere: 12 upstream calls, 8 images.
    expect(worker.requests).toHaveLength(12);
    console.info(`scale-out: the killed worker's jobs finished ${failoverMs} ms after the SIGKILL`);
    expect(failoverMs).toBeLessThan(lockMs + stalledMs + jobMs + 3000);

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
    worker.respond(() => ({ delayMs: 800 }));
    const gateway = await startGateway(env);
    const queueWorker = await startQueueWorker(env);
    const response = generate(gateway.url, 'finish me');
    await vi.waitFor(() => expect(worker.requests).toHaveLength(1), { timeout: 10_000, interval: 10 });
    queueWorker.child.kill('SIGTERM');
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
