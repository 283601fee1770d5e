// What every part of `pnpm bench` shares: the mode, the rows of the report, the log.
import { mkdtemp } from 'node:fs/promises';
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

export async function scratch(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `imagegen-bench-${name}-`));
  return dir;
}
