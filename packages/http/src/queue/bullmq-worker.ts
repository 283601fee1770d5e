import { type GenerationHooks, type ImageGenerator, type Logger } from '@imagegen/core';
import { imageFileName } from '@imagegen/core/internal';
import { type Job, Worker } from 'bullmq';
import type { ImageStorage } from '../storage/image-storage.js';
import { type ImageWork, performWork, type WorkOutcome } from './image-work.js';
import { QUEUE_PREFIX, type QueueSettings } from './queue-settings.js';
import { settleWithin } from './settle-within.js';

/** Options of {@link createQueueWorker}. */
export interface QueueWorkerOptions {
  settings: QueueSettings;
  generator: ImageGenerator;
  storage: ImageStorage;
  /** The models whose queues to take from. */
  models: readonly string[];
  /** Jobs made at once, per model. @default 4 */
  concurrency?: number;
  logger?: Logger;
  /** Called per job with its model (the gateway counts upstream attempts and retries). */
  hooks?: (model: string) => GenerationHooks;
  /** Called when a job starts, with how long it waited in the queue (limiter waits included). */
  onStart?: (model: string, waitedMs: number) => void;
}

/** A process's share of the work. */
export interface QueueWorker {
  /** Jobs being made by this process. */
  readonly active: number;
  /** Resolves once every model's worker is connected and taking jobs. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs and waits for the active ones to finish (SIGTERM), at most `drainMs`
   * (default 30000: with Redis away, BullMQ would wait for ever).
   */
  close(drainMs?: number): Promise<void>;
}

/**
 * BullMQ's limiter counts jobs in fixed windows. Windows of a tenth of a second, not a whole
 * one: a one-second window lets a full second's jobs through at once and, across a window's
 * edge, nearly two seconds' worth within one second; tenth-second windows keep every second
 * within about 10% of the rate.
 */
export function limiterWindow(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 10));
  return { max, duration: Math.round((1000 * max) / ratePerSecond) };
}

// The job's own image name: a job that runs again (its worker died) writes the same key, so an
// image is never stored twice.
const jobImageName = (job: Job<ImageWork>) => (generated: string) =>
  imageFileName(
    job.data.model,
    (job.id ?? '').replace(/-/g, '').slice(0, 8),
    job.timestamp,
    generated.slice(generated.lastIndexOf('.') + 1),
  );

/**
 * Takes image jobs from the shared BullMQ queues and makes them: generate (the core retries
 * what it can), store, return its outcome (`WorkOutcome`). A retryable failure runs again after a
 * backoff while attempts remain; any other outcome is the job's result. Each model's queue has
 * BullMQ's global limiter, so `ratePerSecond` holds across every process.
 *
 * @example
 * const worker = createQueueWorker({ settings: queueSettingsFromEnv(process.env), generator, storage, models: ['flux', 'sdxl'], concurrency: 4 });
 * process.once('SIGTERM', () => void worker.close());
 */
export function createQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const { settings, generator, storage, logger } = options;
  let active = 0;
  const processJob = async (job: Job<ImageWork>): Promise<WorkOutcome> => {
    active++;
    try {
      options.onStart?.(job.data.model, Date.now() - job.timestamp);
      const outcome = await performWork(generator, storage, job.data, { ...options.hooks?.(job.data.model), rename: jobImageName(job) });
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1;
      if (!outcome.ok && outcome.error.retryable && attemptsLeft > 0) {
        logger?.warn({ reqId: job.data.reqId, job: job.id, code: outcome.error.code, attemptsLeft }, 'image job failed, will retry');
        throw new Error(outcome.error.message);
      }
      return outcome;
    } finally {
      active--;
    }
  };
  const workers = options.models.map(
    (model) =>
      new Worker<ImageWork, WorkOutcome>(model, processJob, {
        connection: { url: settings.redisUrl },
        prefix: QUEUE_PREFIX,
        concurrency: options.concurrency ?? 4,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: settings.maxStalledCount,
        ...(settings.ratePerSecond ? { limiter: limiterWindow(settings.ratePerSecond) } : {}),
      }),
  );
  for (const worker of workers) {
    worker.on('error', (error) => logger?.warn({ err: { message: error.message } }, 'queue worker error'));
  }
  let closing: Promise<void> | undefined;
  return {
    get active() {
      return active;
    },
    ready: () => Promise.all(workers.map((worker) => worker.waitUntilReady())).then(() => undefined),
    close: (drainMs = 30_000) =>
      (closing ??= (async () => {
        // Nothing to drain: close at once (BullMQ's graceful close would wait for an absent Redis).
        // A job fetched in this instant restarts elsewhere once its lock expires.
        const force = active === 0;
        await settleWithin(Promise.all(workers.map((worker) => worker.close(force))), force ? 2000 : drainMs);
      })()),
  };
}
