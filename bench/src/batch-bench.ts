// Rows 5 and 6 of `pnpm bench`: batch scaling (1,000 vs 10,000 prompts) and local rendering.
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import { startLocalWorkers } from '@imagegen/workers';
import { here, log, QUICK, rows, scale, scratch } from './bench-context.js';
import { interleaved, pool, quantile, roundRatios, since } from './stats.js';

interface BatchRun {
  perPromptMs: number;
  peakRssMb: number;
}

async function batchRun(worker: TestWorker, prompts: number): Promise<BatchRun> {
  const dir = await scratch(`batch-${prompts}`);
  const file = join(dir, 'prompts.txt');
  await writeFile(file, Array.from({ length: prompts }, (_, index) => `scaling prompt ${index}`).join('\n'));
  const rssFile = join(dir, 'rss');
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [here('./rss-wrapper.js'), 'batch', file, '--concurrency', '8', '--out', join(dir, 'out'), '--no-progress'],
      {
        env: { ...process.env, FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_LOG_LEVEL: 'silent', IMAGEGEN_BENCH_RSS_FILE: rssFile },
        stdio: 'ignore',
      },
    );
    child.on('close', resolve);
  });
  const elapsed = since(started);
  const peak = Number(await readFile(rssFile, 'utf8'));
  await rm(dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`batch of ${prompts} exited ${code}`);
  return { perPromptMs: elapsed / prompts, peakRssMb: peak / 1024 / 1024 };
}

export async function scaling(): Promise<void> {
  const small = scale(1000);
  const large = scale(10_000);
  const rounds = QUICK ? 1 : 3;
  log(`5. scaling: imagegen batch of ${small} and of ${large} prompts, ${rounds} interleaved rounds`);
  const worker = await startTestWorker({ logRequests: false });
  // One run's peak RSS moves by a few MB with where the allocator happens to land: the median of
  // rounds, each a pair of fresh processes, is what two runs of the bench agree on.
  const runs = await interleaved(['small', 'large'] as const, rounds, (side) => batchRun(worker, side === 'small' ? small : large));
  await worker.close();
  const memory = roundRatios(runs.small.map((run, round) => runs.large[round]!.peakRssMb / run.peakRssMb));
  const time = roundRatios(runs.small.map((run, round) => runs.large[round]!.perPromptMs / run.perPromptMs));
  const mb = (side: BatchRun[]) => side.map((run) => run.peakRssMb.toFixed(0)).join(', ');
  const ms = (side: BatchRun[]) =>
    quantile(
      side.map((run) => run.perPromptMs),
      0.5,
    ).toFixed(2);
  rows.push({
    name: '5 scaling (imagegen batch)',
    figure: `peak RSS ${large}/${small}`,
    value: memory.value,
    spread: memory.spread,
    target: '<= 1.10; time <= 1.20',
    met: memory.value <= 1.1 && time.value <= 1.2,
    detail: `peak RSS ${mb(runs.small)} vs ${mb(runs.large)} MB; ${ms(runs.small)} vs ${ms(runs.large)} ms/prompt (ratio ${time.value})`,
  });
}

export async function localRendering(): Promise<void> {
  const count = scale(300);
  log(`6. local preview rendering: ${count} SDXL 512x512 PNGs through the local workers`);
  const workers = await startLocalWorkers();
  const render = (index: number) =>
    fetch(workers.sdxlUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${workers.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: `render ${index}`, width: 512, height: 512 }),
    }).then((response) => response.arrayBuffer());
  await pool(20, 2, render);
  const started = performance.now();
  await pool(count, 4, render);
  const perSecond = (count / since(started)) * 1000;
  await workers.close();
  rows.push({
    name: '6 local preview rendering',
    figure: 'images/s at 512x512',
    value: Math.round(perSecond),
    target: '>= 50',
    met: perSecond >= 50,
    detail: 'sharp (SVG to PNG), concurrency 4 on 2 cores',
  });
}
