// A sink slower than the socket, for the big-image rows: every file write in this process (the
// `write` and `writev` that Node's file WriteStream calls) completes no faster than `bytesPerSecond`,
// as on a slow or busy disk. Both sides of a row write through the same patched calls, so a client
// that ignores the file's backpressure buffers the difference in memory, and its peak shows it.
import { createRequire } from 'node:module';

type Callback = (error: NodeJS.ErrnoException | null, written: number, ...rest: unknown[]) => void;

/**
 * Throttles the file writes of this process to `bytesPerSecond` (Node's streams take `fs` from
 * the CommonJS module object at each call, so patching it there reaches them).
 *
 * @example
 * throttleFileWrites(50 * 1024 * 1024); // 50 MB/s
 */
export function throttleFileWrites(bytesPerSecond: number): void {
  const fs = createRequire(import.meta.url)('node:fs') as Record<'write' | 'writev', (...args: unknown[]) => void>;
  let nextFree = performance.now();
  // Each write's bytes take their share of the bandwidth after the writes before them.
  const delayFor = (bytes: number): number => {
    const now = performance.now();
    nextFree = Math.max(now, nextFree) + (bytes / bytesPerSecond) * 1000;
    return nextFree - now;
  };
  for (const name of ['write', 'writev'] as const) {
    const original = fs[name];
    fs[name] = (...args: unknown[]) => {
      const callback = args.pop() as Callback;
      original(...args, (error: NodeJS.ErrnoException | null, written: number, ...rest: unknown[]) => {
        if (error) return callback(error, written, ...rest);
        setTimeout(() => callback(null, written, ...rest), delayFor(written));
      });
    };
  }
}
