import type { GenerationHooks, ImageGenerator } from '@imagegen/core';
import PQueue from 'p-queue';
import type { ImageStorage } from '../storage/image-storage.js';
import { type ImageWork, performWork } from './image-work.js';
import type { WorkQueue } from './work-queue.js';

/** Options of {@link createInProcessQueue}. */
export interface InProcessQueueOptions {
  generator: ImageGenerator;
  storage: ImageStorage;
  /** Images made at once. */
  concurrency: number;
  /** Images waiting for a slot; past that, `submit` says no (503 + Retry-After). */
  maxWaiting: number;
  /** Called per image with its model (the gateway counts attempts and retries). */
  hooks?: (model: string) => GenerationHooks;
}

/**
 * The in-process queue: at most `concurrency` images at once, at most `maxWaiting` waiting.
 *
 * @example
 * const queue = createInProcessQueue({ generator, storage, concurrency: 4, maxWaiting: 64 });
 * const outcome = await queue.submit({ model: 'flux', prompt: 'a cat', params: {}, format: 'url', reqId: 'r1' });
 */
export function createInProcessQueue(options: InProcessQueueOptions): WorkQueue {
  const queue = new PQueue({ concurrency: options.concurrency });
  return {
    submit: (work: ImageWork, signal?: AbortSignal) =>
      queue.size >= options.maxWaiting
        ? undefined
        : queue.add(() =>
            performWork(options.generator, options.storage, work, { ...options.hooks?.(work.model), ...(signal ? { signal } : {}) }),
          ),
    get waiting() {
      return queue.size;
    },
    stats: async () => ({ waiting: queue.size, active: queue.pending }),
    idle: () => queue.onIdle(),
    close: () => queue.onIdle(),
  };
}
