// What every part of `pnpm bench` shares: the mode, the rows of the report, the log.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePng } from '@imagegen/testkit';

export const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const QUICK = process.argv.includes('--quick');
export const scale = (n: number) => (QUICK ? Math.max(10, Math.round(n / 10)) : n);
export const PNG_64K = makePng(16, 16, [10, 120, 200], 64 * 1024);

export interface Row {
  name: string;
  figure: string;
  value: number;
  /** How far the rounds of the figure spread (min-max), when it is measured in rounds. */
  spread?: string;
  target: string;
  met: boolean;
  detail: string;
}
export const rows: Row[] = [];
export const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Where the images of a run go: a RAM disk when the machine has one (or IMAGEGEN_BENCH_DIR).
 * On this machine's disk, ext4's journal made a file's creation take 0.3-1.2 ms, moving from
 * process to process: the sequential ratio of two runs of the same code came out 0.63 and 0.96.
 * On /dev/shm both sides pay only the CPU for their file calls, which is what the ratios compare.
 */
export const SCRATCH_ROOT = process.env.IMAGEGEN_BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/**
 * The disk a user writes to: the rows marked "disk" write under bench/.disk-scratch (this
 * checkout's disk, as `imagegen` writes under the working directory by default), beside the
 * /dev/shm rows, so that a regression on the disk cannot hide behind the RAM disk.
 */
export const DISK_ROOT = here('../.disk-scratch');

export async function scratch(name: string, root = SCRATCH_ROOT): Promise<string> {
  await mkdir(root, { recursive: true });
  return mkdtemp(join(root, `imagegen-bench-${name}-`));
}
