import PQueue from 'p-queue';

/** Bounded upstream concurrency with a bounded wait, behind a port (BullMQ later). */
export interface GenerationQueue {
  /** Runs `task` when a slot is free; undefined when the wait queue is full. */
  run<T>(task: () => Promise<T>): Promise<T> | undefined;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  /** Tasks running. */
  readonly running: number;
  /** Resolves when nothing waits or runs. */
  idle(): Promise<void>;
}

/**
 * The in-process queue: at most `concurrency` generations at once, at most `maxWaiting`
 * waiting; past that, callers are told to come back (503 + Retry-After).
 *
 * @example
 * const queue = createInProcessQueue({ concurrency: 4, maxWaiting: 64 });
 * const result = queue.run(() => generator.generateWithFlux('a cat'));
 */
export function createInProcessQueue(options: { concurrency: number; maxWaiting: number }): GenerationQueue {
  const queue = new PQueue({ concurrency: options.concurrency });
  return {
    run: <T>(task: () => Promise<T>) => (queue.size >= options.maxWaiting ? undefined : (queue.add(task) as Promise<T>)),
    get waiting() {
      return queue.size;
    },
    get running() {
      return queue.pending;
    },
    idle: () => queue.onIdle(),
  };
}
