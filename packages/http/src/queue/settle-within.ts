/**
 * Waits for `work` at most `ms`; resolves true when it settled in time. BullMQ's `close()` waits
 * for Redis, so a process whose Redis is down would never finish stopping without a bound.
 *
 * @example
 * if (!(await settleWithin(worker.close(), 30_000))) logger.warn('queue worker did not close in time');
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
