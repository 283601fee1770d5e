import type { Clock } from './ports.js';

/**
 * The real clock: `Date.now()` and `setTimeout`. Fake timers (`vi.useFakeTimers()`) drive it too.
 *
 * @example
 * await systemClock.sleep(1000, AbortSignal.timeout(5000));
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the abort reason passes through as given, as Node's own timers/promises do
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  timer: (ms, onFire) => {
    const handle = setTimeout(onFire, ms);
    return () => clearTimeout(handle);
  },
};

/** A timer that can be cancelled: the clock's own, or one built on its `sleep`. */
export function startTimer(clock: Clock, ms: number, onFire: () => void): () => void {
  if (clock.timer) return clock.timer(ms, onFire);
  const cancel = new AbortController();
  clock.sleep(ms, cancel.signal).then(onFire, () => {});
  return () => cancel.abort();
}
