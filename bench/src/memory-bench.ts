// Row 3 of `pnpm bench`: one big image, each side in a process of its own, written to /dev/shm,
// to the disk a user writes to, and to that disk throttled to a tenth of the socket's speed.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import { DISK_ROOT, here, log, QUICK, rows, scratch } from './bench-context.js';
import { quantile, ratio } from './stats.js';

interface ChildRun {
  ok: boolean;
  growthBytes: number;
  /** Milliseconds from the request to the last byte written. */
  ms: number;
}

type Mode = 'imagegen' | 'stream' | 'buffer';

/** Where a variant of the row writes, and how fast its sink takes bytes (undefined: as fast as it can). */
interface Sink {
  label: string;
  root?: string;
  bytesPerSecond?: number;
}

const mb = (value: number) => value / 1024 / 1024;
const range = (values: number[]) => `${mb(Math.min(...values)).toFixed(1)}-${mb(Math.max(...values)).toFixed(1)}`;

function childRunner(worker: TestWorker, sink: Sink) {
  return async (mode: Mode): Promise<ChildRun> => {
    const dir = await scratch(`big-${mode}`, sink.root);
    const args = [here('./big-image-child.js'), mode, worker.fluxUrl, dir, ...(sink.bytesPerSecond ? [String(sink.bytesPerSecond)] : [])];
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1024 * 1024 });
    await rm(dir, { recursive: true, force: true });
    return JSON.parse(stdout) as ChildRun;
  };
}

/** One variant: imagegen and the floor (fetch piped to a file) alternating, `rounds` runs each. */
async function variant(worker: TestWorker, bytes: number, sink: Sink, rounds: number): Promise<{ floorMs: number }> {
  const run = childRunner(worker, sink);
  const runs = { imagegen: [] as ChildRun[], stream: [] as ChildRun[] };
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? (['imagegen', 'stream'] as const) : (['stream', 'imagegen'] as const)) {
      runs[mode].push(await run(mode));
    }
  }
  const peaks = { imagegen: runs.imagegen.map((r) => r.growthBytes), stream: runs.stream.map((r) => r.growthBytes) };
  const ok = runs.imagegen.every((r) => r.ok) && runs.stream.every((r) => r.ok);
  const ours = quantile(peaks.imagegen, 0.5);
  const floor = quantile(peaks.stream, 0.5);
  const value = ratio(ours, floor);
  const buffered = sink.root === undefined && !sink.bytesPerSecond ? await run('buffer') : undefined;
  const seconds = (list: ChildRun[]) =>
    (
      quantile(
        list.map((r) => r.ms),
        0.5,
      ) / 1000
    ).toFixed(1);
  rows.push({
    name: `3 memory for a ${mb(bytes)} MB image${sink.label}`,
    figure: 'peak RSS growth / fetch piped',
    value,
    spread: `imagegen ${range(peaks.imagegen)}, floor ${range(peaks.stream)} MB over ${rounds} runs each`,
    target: '<= 1.10',
    met: ok && value <= 1.1,
    detail:
      `medians: imagegen ${mb(ours).toFixed(1)} MB in ${seconds(runs.imagegen)} s (ok: ${ok}) vs fetch piped to a file ` +
      `${mb(floor).toFixed(1)} MB in ${seconds(runs.stream)} s` +
      (buffered ? `; reading it whole ${mb(buffered.growthBytes).toFixed(1)} MB` : ''),
  });
  return {
    floorMs: quantile(
      runs.stream.map((r) => r.ms),
      0.5,
    ),
  };
}

export async function bigImageMemory(): Promise<void> {
  const bytes = QUICK ? 50 * 1024 * 1024 : 200 * 1024 * 1024;
  const worker = await startTestWorker({ logRequests: false });
  worker.respond((request) => (request.prompt === 'warm' ? {} : { hugeBytes: bytes }));
  try {
    // A process's growth moves by +-5 MB around 65 MB from run to run, on both sides alike (V8
    // frees the chunks' memory at a garbage collection that external memory triggers, about every
    // 64 MB): the lowest of two runs each came out 60.8 and 70.8 MB for the floor in one bench, and
    // the medians of five runs each gave ratios from 0.95 to 1.04. So: the medians of 15 each.
    const rounds = QUICK ? 1 : 15;
    log(`3. memory: one ${mb(bytes)} MB image, each side in its own process, ${rounds} runs each on /dev/shm, then the disk`);
    const { floorMs } = await variant(worker, bytes, { label: '' }, rounds);
    await variant(worker, bytes, { label: ', disk', root: DISK_ROOT }, rounds);
    // The socket's speed is the floor's on /dev/shm, where the file never waits.
    const bytesPerSecond = Math.round(bytes / (floorMs / 1000) / 10);
    log(`3. memory: the same on the disk with its writes throttled to ${mb(bytesPerSecond).toFixed(0)} MB/s (a tenth of the socket)`);
    await variant(
      worker,
      bytes,
      { label: `, disk at ${mb(bytesPerSecond).toFixed(0)} MB/s`, root: DISK_ROOT, bytesPerSecond },
      QUICK ? 1 : 7,
    );
  } finally {
    await worker.close();
  }
}
