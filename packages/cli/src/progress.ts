import { SingleBar } from 'cli-progress';

/** Counts of a running batch. */
export interface BatchCounts {
  done: number;
  ok: number;
  failed: number;
  skipped: number;
}

/** The batch's progress: a bar on a TTY (done/total, ok/failed, rate, ETA), nothing otherwise. */
export interface Progress {
  /** `pace`: what the batch's pace is now (shown beside the rate). */
  update(counts: BatchCounts, pace?: string): void;
  /** Prints a line above the bar (or plainly when there is none). */
  log(line: string): void;
  stop(): void;
}

/** Creates the progress display on stderr; `total` is undefined for stdin input. */
export function createProgress(total: number | undefined, enabled: boolean): Progress {
  if (!enabled) {
    return { update: () => {}, log: (line) => void process.stderr.write(`${line}\n`), stop: () => {} };
  }
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      total === undefined
        ? '{value} done | ok {ok} | failed {failed} | {speed}/s {pace}'
        : '[{bar}] {value}/{total} | ok {ok} | failed {failed} | {speed}/s {pace} | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  const started = Date.now();
  bar.start(total ?? 0, 0, { ok: 0, failed: 0, speed: '0.0', pace: '' });
  return {
    update: (counts, pace) => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(counts.done, {
        ok: counts.ok,
        failed: counts.failed,
        speed: (counts.done / seconds).toFixed(1),
        pace: pace ? `(${pace})` : '',
      });
    },
    log: (line) => {
      process.stderr.write(`\r\u001b[K${line}\n`);
      bar.render();
    },
    stop: () => bar.stop(),
  };
}
