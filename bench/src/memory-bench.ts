// Row 3 of `pnpm bench`: one big image, each side in a process of its own.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startTestWorker } from '@imagegen/testkit';
import { here, log, QUICK, rows, scratch } from './bench-context.js';
import { ratio } from './stats.js';

export async function bigImageMemory(): Promise<void> {
  const bytes = QUICK ? 50 * 1024 * 1024 : 200 * 1024 * 1024;
  log(`3. memory: one ${bytes / 1024 / 1024} MB image, each side in its own process`);
  const worker = await startTestWorker({ logRequests: false });
  worker.respond((request) => (request.prompt === 'warm' ? {} : { hugeBytes: bytes }));
  const run = async (mode: string) => {
    const dir = await scratch(`big-${mode}`);
    const { stdout } = await promisify(execFile)(process.execPath, [here('./big-image-child.js'), mode, worker.fluxUrl, dir], {
      maxBuffer: 1024 * 1024,
    });
    await rm(dir, { recursive: true, force: true });
    return JSON.parse(stdout) as { ok: boolean; growthBytes: number };
  };
  // Five times each, interleaved, the lowest peak of each kept: a peak is a maximum, and a stray
  // allocation of the runtime can only raise it (with two runs each, the floor alone came out
  // 60.8 and 70.8 MB in one run of the bench).
  const rounds = QUICK ? 1 : 5;
  const peaks = { imagegen: [] as number[], stream: [] as number[] };
  let ok = true;
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? (['imagegen', 'stream'] as const) : (['stream', 'imagegen'] as const)) {
      const result = await run(mode);
      ok &&= result.ok;
      peaks[mode].push(result.growthBytes);
    }
  }
  const buffered = await run('buffer');
  await worker.close();
  const mb = (value: number) => value / 1024 / 1024;
  const ours = Math.min(...peaks.imagegen);
  const floor = Math.min(...peaks.stream);
  const value = ratio(ours, floor);
  rows.push({
    name: `3 memory for a ${bytes / 1024 / 1024} MB image`,
    figure: 'peak RSS growth / fetch piped',
    value,
    spread: `imagegen ${peaks.imagegen.map((peak) => mb(peak).toFixed(1)).join(', ')} MB; floor ${peaks.stream.map((peak) => mb(peak).toFixed(1)).join(', ')} MB`,
    target: '<= 1.10',
    met: ok && value <= 1.1,
    detail: `imagegen ${mb(ours).toFixed(1)} MB (ok: ${ok}) vs fetch piped to a file ${mb(floor).toFixed(1)} MB; reading it whole ${mb(buffered.growthBytes).toFixed(1)} MB`,
  });
}
