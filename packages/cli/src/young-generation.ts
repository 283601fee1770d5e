// A long batch keeps a few requests' worth of objects alive at every scavenge, and V8 doubles the
// young generation each time the bytes that survived since the last growth pass its size: from
// 1 MB to 32 MB over a long enough run, whether or not anything leaks. So a batch's memory rose
// with its length (1,000 prompts 105 MB, 10,000 prompts 117 MB on Node 20) until this cap.
// `node --max-semi-space-size=4` would cap it, but a flag cannot ride on the bin's shebang
// portably (`env -S` is missing from BusyBox and old npm Windows shims), and V8 reads that limit
// only at start. The growth factor is read at every growth: once the young generation has reached
// the cap, a factor of 1 keeps it there. Measured (10,000 prompts vs 1,000, bench row 5): peak
// RSS 1.02-1.03x on Node 20, same time per prompt.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The young generation (both semi-spaces) a batch may grow to: what `--max-semi-space-size=4` allows. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;

function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Stops V8's young generation from growing past `capBytes` for the rest of the process. It grows
 * as usual up to the cap (a smaller one would promote more short-lived objects and slow the run).
 *
 * @example
 * ```ts
 * capYoungGeneration(); // a 10,000-prompt batch peaks where a 1,000-prompt one does
 * ```
 */
export function capYoungGeneration(capBytes = YOUNG_GENERATION_CAP_BYTES): void {
  const stop = () => setFlagsFromString('--semi-space-growth-factor=1');
  if (youngGenerationBytes() >= capBytes) return stop();
  const observer = new PerformanceObserver(() => {
    if (youngGenerationBytes() < capBytes) return;
    stop();
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
