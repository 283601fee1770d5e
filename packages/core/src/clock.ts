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
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
