// Rows 1 and 2 of `pnpm bench`: imagegen's core against the raw baseline, round by round.
import { rm } from 'node:fs/promises';
import { createImageGenerator } from '@imagegen/core/node';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import { DISK_ROOT, log, PNG_64K, QUICK, rows, scratch } from './bench-context.js';
import { inProcesses, PROCESSES, type Series } from './processes.js';
import { atomicRawClient, rawClient } from './raw-client.js';
import { interleaved, mean, pool, quantile, pairedRatios, since } from './stats.js';

/** The loopback worker every interleaved row talks to: the same 64 KB PNG from memory, always. */
export const pngWorker = (): Promise<TestWorker> =>
  startTestWorker({ defaultReply: { body: PNG_64K, contentType: 'image/png' }, logRequests: false });

/** A generator over the worker's Flux route, writing into `dir`, silent. */
export function generatorFor(worker: TestWorker, dir: string) {
  return createImageGenerator({ env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' } });
}

/** Where a row writes: /dev/shm against the plain raw client, or the disk against the atomic one. */
export type Sink = 'shm' | 'disk';

async function sides(worker: TestWorker, sink: Sink = 'shm') {
  const root = sink === 'disk' ? DISK_ROOT : undefined;
  const dirs = { ours: await scratch('ours', root), raw: await scratch('raw', root) };
  const generator = generatorFor(worker, dirs.ours);
  const raw = sink === 'disk' ? atomicRawClient(worker.fluxUrl, dirs.raw) : rawClient(worker.fluxUrl, dirs.raw);
  const one = async (side: 'ours' | 'raw', prompt: string) => {
    if (side === 'raw') return raw.generate(prompt);
    const result = await generator.generateWithFlux(prompt);
    if (!result.ok) throw result.error;
  };
  const close = async () => {
    await generator.close();
    await Promise.all(Object.values(dirs).map((dir) => rm(dir, { recursive: true, force: true })));
  };
  return { one, close };
}

/** Rounds of one image each side in turn: per round each side's median, and every latency. */
export async function measureSequential(rounds: number, sink: Sink = 'shm'): Promise<Series> {
  const perRound = QUICK ? 50 : 60;
  const worker = await pngWorker();
  const { one, close } = await sides(worker, sink);
  for (let index = 0; index < 300; index++) {
    await one('ours', `warm ${index}`);
    await one('raw', `warm ${index}`);
  }
  const series: Series = { ours: [], raw: [], oursAll: [], rawAll: [] };
  for (let round = 0; round < rounds; round++) {
    const times = { ours: [] as number[], raw: [] as number[] };
    for (let index = 0; index < perRound; index++) {
      // One image each in turn, who goes first alternating: neither always meets a warm socket.
      for (const side of index % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
        const started = performance.now();
        await one(side, `seq ${round} ${index}`);
        times[side].push(since(started));
      }
    }
    for (const side of ['ours', 'raw'] as const) {
      series[`${side}All`]!.push(...times[side]);
      series[side]!.push(quantile(times[side], 0.5));
    }
  }
  await close();
  await worker.close();
  return series;
}

export async function sequentialLatency(sink: Sink = 'shm'): Promise<void> {
  const rounds = QUICK ? 4 : 32;
  const onDisk = sink === 'disk';
  log(
    `1. sequential latency${onDisk ? ' on the disk' : ''}: ${rounds} rounds, one generation each side in turn, in ${PROCESSES} processes`,
  );
  const series = await inProcesses(onDisk ? 'sequential-disk' : 'sequential', rounds);
  const [ours, raw, oursAll, rawAll] = [series.ours!, series.raw!, series.oursAll!, series.rawAll!];
  const median = pairedRatios(ours, raw);
  rows.push({
    name: onDisk ? '1 sequential latency, disk (64 KB PNG)' : '1 sequential latency (64 KB PNG)',
    figure: onDisk ? 'median imagegen/atomic raw' : 'median imagegen/raw',
    value: median.value,
    spread: median.spread,
    target: '<= 1.05',
    met: median.value <= 1.05,
    detail: `median ${quantile(oursAll, 0.5).toFixed(2)} ms vs ${quantile(rawAll, 0.5).toFixed(2)} ms; p99 ${quantile(oursAll, 0.99).toFixed(2)} vs ${quantile(rawAll, 0.99).toFixed(2)} ms`,
  });
}

/** Rounds of `perRound` generations at `concurrency`, the sides interleaved: images/s per round. */
export async function measureThroughput(concurrency: number, rounds: number, sink: Sink = 'shm'): Promise<Series> {
  // A round is a quarter of a second or more: with 120 images (50 ms) a garbage collection or a
  // scheduling pause made one round's ratio anything from 0.3 to 3.
  const perRound = QUICK ? 100 : 500;
  const worker = await pngWorker();
  const { one, close } = await sides(worker, sink);
  await pool(200, concurrency, (index) => one('ours', `warm ${index}`));
  await pool(200, concurrency, (index) => one('raw', `warm ${index}`));
  const rates = await interleaved(['ours', 'raw'] as const, rounds, async (side, round) => {
    const started = performance.now();
    await pool(perRound, concurrency, (index) => one(side, `tp ${round} ${index}`));
    return (perRound / since(started)) * 1000;
  });
  await close();
  await worker.close();
  return rates;
}

export async function throughput(concurrency: number, sink: Sink = 'shm'): Promise<void> {
  // Many rounds, the median of their paired ratios: it shrugs off a round the machine disturbed.
  const rounds = QUICK ? 4 : 80;
  const onDisk = sink === 'disk';
  log(
    `2. throughput at concurrency ${concurrency}${onDisk ? ' on the disk' : ''}: ${rounds} rounds per side, interleaved, in ${PROCESSES} processes`,
  );
  const rates = await inProcesses(`throughput-${onDisk ? 'disk-' : ''}${concurrency}`, rounds);
  const [ours, raw] = [rates.ours!, rates.raw!];
  const summary = pairedRatios(ours, raw);
  rows.push({
    name: `2 throughput at concurrency ${concurrency}${onDisk ? ', disk' : ''}`,
    figure: onDisk ? 'imagegen/atomic raw images/s' : 'imagegen/raw images/s',
    value: summary.value,
    spread: summary.spread,
    target: '>= 0.95',
    met: summary.value >= 0.95,
    detail: `${mean(ours).toFixed(0)} vs ${mean(raw).toFixed(0)} images/s (mean of rounds)`,
  });
}
