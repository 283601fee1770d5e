// Rows 1 and 2 of `pnpm bench`: imagegen's core against the raw baseline, round by round.
import { rm } from 'node:fs/promises';
import { createImageGenerator } from '@imagegen/core/node';
import type { TestWorker } from '@imagegen/testkit';
import { log, QUICK, rows, scratch } from './bench-context.js';
import { rawClient } from './raw-client.js';
import { interleaved, mean, pool, quantile, roundRatios, since } from './stats.js';

/** A generator over the worker's Flux route, writing into `dir`, silent. */
export function generatorFor(worker: TestWorker, dir: string) {
  return createImageGenerator({ env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' } });
}

async function sides(worker: TestWorker) {
  const dirs = { ours: await scratch('ours'), raw: await scratch('raw') };
  const generator = generatorFor(worker, dirs.ours);
  const raw = rawClient(worker.fluxUrl, dirs.raw);
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

export async function sequentialLatency(worker: TestWorker): Promise<void> {
  const rounds = QUICK ? 4 : 24;
  const perRound = QUICK ? 50 : 60;
  log(`1. sequential latency: ${rounds} rounds of ${perRound} generations per side, one each in turn`);
  const { one, close } = await sides(worker);
  for (let index = 0; index < 300; index++) {
    await one('ours', `warm ${index}`);
    await one('raw', `warm ${index}`);
  }
  const all = { ours: [] as number[], raw: [] as number[] };
  const medians = { ours: [] as number[], raw: [] as number[] };
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
      all[side].push(...times[side]);
      medians[side].push(quantile(times[side], 0.5));
    }
  }
  const median = roundRatios(medians.ours.map((ours, round) => ours / medians.raw[round]!));
  rows.push({
    name: '1 sequential latency (64 KB PNG)',
    figure: 'median imagegen/raw',
    value: median.value,
    spread: median.spread,
    target: '<= 1.05',
    met: median.value <= 1.05,
    detail: `median ${quantile(all.ours, 0.5).toFixed(2)} ms vs ${quantile(all.raw, 0.5).toFixed(2)} ms; p99 ${quantile(all.ours, 0.99).toFixed(2)} vs ${quantile(all.raw, 0.99).toFixed(2)} ms`,
  });
  await close();
}

export async function throughput(worker: TestWorker, concurrency: number): Promise<void> {
  // Many short rounds: the median of their paired ratios shrugs off a round the machine disturbed.
  const rounds = QUICK ? 4 : 48;
  const perRound = QUICK ? 100 : 120;
  log(`2. throughput at concurrency ${concurrency}: ${rounds} rounds of ${perRound} generations per side, interleaved`);
  const { one, close } = await sides(worker);
  await pool(200, concurrency, (index) => one('ours', `warm ${index}`));
  await pool(200, concurrency, (index) => one('raw', `warm ${index}`));
  const rates = await interleaved(['ours', 'raw'] as const, rounds, async (side, round) => {
    const started = performance.now();
    await pool(perRound, concurrency, (index) => one(side, `tp ${round} ${index}`));
    return (perRound / since(started)) * 1000;
  });
  const summary = roundRatios(rates.ours.map((ours, round) => ours / rates.raw[round]!));
  rows.push({
    name: `2 throughput at concurrency ${concurrency}`,
    figure: 'imagegen/raw images/s',
    value: summary.value,
    spread: summary.spread,
    target: '>= 0.95',
    met: summary.value >= 0.95,
    detail: `${mean(rates.ours).toFixed(0)} vs ${mean(rates.raw).toFixed(0)} images/s (mean of rounds)`,
  });
  await close();
}
