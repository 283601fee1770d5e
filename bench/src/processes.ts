// A ratio measured in one process carries that process's luck: which code V8 optimised how,
// where the heap landed. On this machine two runs of the same code gave throughput ratios of
// 1.28 and 1.35, each the median of 40 rounds whose spread was no help: every estimator (median
// of ratios, ratio of sums, trimmed mean) moved with the process. So each interleaved row runs
// in several fresh processes, a share of its rounds each, and pools their rounds.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { here, log, QUICK } from './bench-context.js';

/** Per-round figures of one measurement, by name (`ours`, `raw`, ...), in round order. */
export type Series = Record<string, number[]>;

/** How many fresh processes share an interleaved row's rounds. */
export const PROCESSES = QUICK ? 1 : 8;

const MEASURE = '--measure=';

/** The measurement a child process was started for, with its rounds, or undefined in the parent. */
export function childMeasurement(): { name: string; rounds: number } | undefined {
  const measure = process.argv.find((argument) => argument.startsWith(MEASURE));
  if (!measure) return undefined;
  const [name, rounds] = measure.slice(MEASURE.length).split(':') as [string, string];
  return { name, rounds: Number(rounds) };
}

/**
 * Runs measurement `name` in {@link PROCESSES} fresh processes one after another, `rounds`
 * rounds in all (split between them), and concatenates their series.
 */
export async function inProcesses(name: string, rounds: number): Promise<Series> {
  const pooled: Series = {};
  const each = Math.ceil(rounds / PROCESSES);
  for (let index = 0; index < PROCESSES; index++) {
    log(`   process ${index + 1} of ${PROCESSES}: ${each} rounds`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [here('./run.js'), `${MEASURE}${name}:${each}`, ...(QUICK ? ['--quick'] : [])],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    for (const [key, values] of Object.entries(JSON.parse(stdout) as Series)) (pooled[key] ??= []).push(...values);
  }
  return pooled;
}
