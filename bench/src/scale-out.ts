// Throughput of the shared queue: one gateway (HTTP only) with 1 and then 2 queue workers
// (`--concurrency 4` each) against a testkit worker that takes 50 ms per image, beside one
// gateway that makes the images itself (no Redis), all measured in this run.
// `pnpm bench:scale` (needs redis-server).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis, startTestWorker } from '@imagegen/testkit';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const REQUESTS = Number(process.env.SCALE_REQUESTS ?? 800);
const CLIENTS = 32;

function start(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, IMAGEGEN_LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = ready.exec(stderr);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${stderr}`)));
  });
}

async function load(url: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS) {
        next++;
        const response = await fetch(`${url}/v1/images/generations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `scale ${next}` }),
        });
        if (!response.ok) throw new Error(`status ${response.status}: ${await response.text()}`);
        await response.arrayBuffer();
      }
    }),
  );
  return REQUESTS / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const [redis, worker] = await Promise.all([startRedis(), startTestWorker({ logRequests: false, defaultReply: { delayMs: 50 } })]);
  const cwd = await mkdtemp(join(tmpdir(), 'imagegen-bench-scale-'));
  const base = { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_RATE_LIMIT_PER_SECOND: '0' };
  const children: ChildProcess[] = [];
  const gateway = async (env: Record<string, string>, args: string[] = []) => {
    const { child, match } = await start(['serve', '--port', '0', ...args], env, cwd, /gateway listening on (http:\/\/127\.0\.0\.1:\d+)/);
    children.push(child);
    return match[1]!;
  };
  const queueWorker = async (env: Record<string, string>) =>
    children.push((await start(['queue-worker', '--concurrency', '4'], env, cwd, /queue worker taking/)).child);
  try {
    const alone = await load(await gateway(base, ['--concurrency', '4']));
    const shared = { ...base, IMAGEGEN_REDIS_URL: redis.url };
    const url = await gateway(shared, ['--no-jobs']);
    await queueWorker(shared);
    const one = await load(url);
    await queueWorker(shared);
    const two = await load(url);
    const rows = [
      ['one gateway, no Redis (baseline)', alone],
      ['gateway + 1 queue worker', one],
      ['gateway + 2 queue workers', two],
    ] as const;
    console.log(`scale-out: ${REQUESTS} requests, ${CLIENTS} clients, upstream 50 ms per image, concurrency 4 per process`);
    for (const [name, rate] of rows)
      console.log(`  ${name.padEnd(36)} ${rate.toFixed(1).padStart(7)} images/s  ${(rate / alone).toFixed(2)}x`);
    console.log(
      `  2 workers / 1 worker: ${(two / one).toFixed(2)}x (ceiling: ${(4000 / 50).toFixed(0)} and ${(8000 / 50).toFixed(0)} images/s)`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))),
    );
    await Promise.all([redis.stop(), worker.close()]);
    await rm(cwd, { recursive: true, force: true });
  }
}

await main();
