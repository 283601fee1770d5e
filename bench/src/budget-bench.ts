// Row 9 of `pnpm bench`: `imagegen batch` against a simulated Workers AI account at its limit
// (a per-minute limit, answers of 300-900 ms, 429 code 3040 past it): the default adaptive pace
// against a fixed --concurrency 8, counted in the upstream's own request log.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SimulatedRequest, startSimulatedWorkersAi } from '@imagegen/testkit';
import { log, QUICK, rows, scratch } from './bench-context.js';

const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

/** Runs `imagegen batch` to its end; resolves with its exit code. */
function batch(args: string[], env: Record<string, string>, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'batch', ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env, IMAGEGEN_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

interface Run {
  goodputPerMinute: number;
  throttledShare: number;
  lost: number;
  calls: number;
}

/** Goodput from the upstream's log: images made per minute, from the first request to the last image. */
function measure(requests: readonly SimulatedRequest[], prompts: number): Run {
  const made = requests.filter((request) => request.status === 200 && request.doneAt !== undefined);
  const first = Math.min(...requests.map((request) => request.at));
  const last = Math.max(...made.map((request) => request.doneAt!));
  return {
    goodputPerMinute: (made.length / (last - first)) * 60_000,
    throttledShare: requests.filter((request) => request.status === 429).length / requests.length,
    lost: prompts - made.length,
    calls: requests.length,
  };
}

export async function upstreamBudget(): Promise<void> {
  const limit = 600;
  const prompts = QUICK ? 60 : 20 * (limit / 60);
  log(`9. upstream budget: imagegen batch of ${prompts} prompts against a simulated account of ${limit}/min (answers 300-900 ms)`);
  const dir = await scratch('budget');
  await writeFile(join(dir, 'prompts.txt'), Array.from({ length: prompts }, (_, index) => `budget prompt ${index}`).join('\n'));
  const runs: Record<'adaptive' | 'fixed', Run> = {} as never;
  for (const [name, extra] of [
    ['adaptive', []],
    ['fixed', ['--concurrency', '8']],
  ] as const) {
    const ai = await startSimulatedWorkersAi({ limitPerMinute: limit, burstSeconds: 2, latencyMs: [300, 900] });
    try {
      await batch(['prompts.txt', '--model', 'lucid-origin', '--out', join(dir, name), ...extra], ai.env, dir);
      runs[name] = measure(ai.requests, prompts);
    } finally {
      await ai.close();
    }
  }
  const { adaptive, fixed } = runs;
  const ratio = Number((adaptive.goodputPerMinute / limit).toFixed(2));
  rows.push({
    name: `9 upstream budget (${limit}/min)`,
    figure: 'goodput / limit, default batch',
    value: ratio,
    target: '>= 0.90, <= 2% 429, 0 lost',
    met: ratio >= 0.9 && adaptive.throttledShare <= 0.02 && adaptive.lost === 0,
    detail:
      `adaptive ${adaptive.goodputPerMinute.toFixed(0)}/min, ${(adaptive.throttledShare * 100).toFixed(1)}% 429 of ${adaptive.calls} calls, ${adaptive.lost} lost; ` +
      `--concurrency 8: ${fixed.goodputPerMinute.toFixed(0)}/min, ${(fixed.throttledShare * 100).toFixed(1)}% 429 of ${fixed.calls}, ${fixed.lost} lost`,
  });
  await rm(dir, { recursive: true, force: true });
}
