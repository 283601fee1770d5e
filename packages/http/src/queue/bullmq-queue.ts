import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { GatewayError } from '../openai-error.js';
import type { ImageWork, WorkError, WorkOutcome } from './image-work.js';
import { type PendingClock, PendingJobs } from './pending-jobs.js';
import { QUEUE_PREFIX, type QueueSettings } from './queue-settings.js';
import { settleWithin } from './settle-within.js';
import type { QueueStats, WorkQueue } from './work-queue.js';

/** Options of {@link BullMqWorkQueue}. */
export interface BullMqWorkQueueOptions {
  settings: QueueSettings;
  /** The models to make queues for (one queue each, so that each has its own limiter). */
  models: readonly string[];
  /** Images this process may have waiting at once; past that, `submit` says no. */
  maxWaiting: number;
  /** Called when a worker died with a job and BullMQ put it back (for /metrics). */
  onStalled?: (model: string) => void;
  /** The clock of the waiting requests (tests). @default the system's */
  clock?: PendingClock;
}

// A job whose events were missed (Redis reconnected) is looked up after this long, then again
// at every sweep, so that no caller waits forever.
const LOOK_UP_AFTER_MS = 5000;
const SWEEP_EVERY_MS = 2000;

const unavailable = (): GatewayError =>
  new GatewayError({
    status: 503,
    message: 'The shared queue is unavailable (Redis does not answer), retry shortly',
    type: 'server_error',
    code: 'queue_unavailable',
    headers: { 'retry-after': '2' },
  });

const failure = (code: WorkError['code'], message: string, model: string): WorkOutcome => ({
  ok: false,
  error: { code, message, model, retryable: false },
});

const parseOutcome = (value: unknown, model: string): WorkOutcome => {
  const outcome = (typeof value === 'string' ? JSON.parse(value) : value) as WorkOutcome | null;
  return outcome && typeof outcome === 'object' && 'ok' in outcome
    ? outcome
    : failure('server_error', 'The image job ended without a result', model);
};

/**
 * The gateway's side of the shared queue: each image becomes a BullMQ job (model, prompt,
 * params) that any queue worker may take; the answer comes back through BullMQ's events. One
 * listener per queue serves every waiting request (no listener per job).
 *
 * @example
 * const queue = new BullMqWorkQueue({ settings: queueSettingsFromEnv(process.env), models: ['flux', 'sdxl'], maxWaiting: 64 });
 * const outcome = await queue.submit({ model: 'flux', prompt: 'a cat', params: {}, format: 'url', reqId: 'r1' });
 */
export class BullMqWorkQueue implements WorkQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, QueueEvents>();
  private readonly pending: PendingJobs;
  private readonly sweeper: ReturnType<typeof setInterval>;
  private readonly connected: Promise<void>;

  constructor(private readonly options: BullMqWorkQueueOptions) {
    this.pending = new PendingJobs(options.clock);
    const connection = { url: options.settings.redisUrl };
    for (const model of options.models) {
      const queue = new Queue(model, { connection, prefix: QUEUE_PREFIX });
      queue.on('error', () => {
        // Reconnects by itself; a request that cannot add its job is answered 503.
      });
      this.queues.set(model, queue);
      const events = new QueueEvents(model, { connection, prefix: QUEUE_PREFIX });
      events.on('completed', ({ jobId, returnvalue }) => this.pending.finish(jobId, parseOutcome(returnvalue, model)));
      events.on('failed', ({ jobId, failedReason }) =>
        this.pending.finish(jobId, failure('server_error', `The image job failed: ${failedReason}`, model)),
      );
      events.on('stalled', () => options.onStalled?.(model));
      events.on('error', () => {
        // ioredis reconnects by itself; a missed event is caught by the sweep.
      });
      this.events.set(model, events);
    }
    this.sweeper = setInterval(() => void this.lookUpLate(), SWEEP_EVERY_MS);
    this.sweeper.unref();
    // Jobs are added only once the listeners are connected: one added before could finish unseen.
    this.connected = Promise.all([...this.events.values()].map((events) => events.waitUntilReady())).then(() => undefined);
    this.connected.catch(() => {});
  }

  /** Resolves once the event listeners are connected. */
  ready(): Promise<void> {
    return this.connected;
  }

  get waiting(): number {
    return this.pending.size;
  }

  submit(work: ImageWork, signal?: AbortSignal): Promise<WorkOutcome> | undefined {
    const queue = this.queues.get(work.model);
    if (!queue) return Promise.resolve(failure('not_configured', `No queue for model '${work.model}'`, work.model));
    if (this.pending.size >= this.options.maxWaiting) return undefined;
    const { attempts, backoffMs, keepJobsMs, addTimeoutMs } = this.options.settings;
    const jobId = randomUUID();
    // Redis away: the job cannot be added in time; the request is answered 503, not left waiting.
    const outcome = this.pending.wait(jobId, work.model, { giveUpAfterMs: addTimeoutMs, onGiveUp: unavailable });
    const onAbort = (): void => {
      // A job no worker has taken yet is dropped; one being made finishes unseen.
      void queue.remove(jobId).catch(() => {});
      this.pending.finish(jobId, failure('aborted', 'The request was cancelled', work.model));
    };
    if (signal?.aborted) {
      onAbort();
      return outcome;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    void outcome.then(
      () => signal?.removeEventListener('abort', onAbort),
      () => signal?.removeEventListener('abort', onAbort),
    );
    const keep = { age: Math.ceil(keepJobsMs / 1000) };
    const options = { jobId, attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: keep, removeOnFail: keep };
    void this.connected
      .then(() => queue.add('image', work, options))
      .then(
        () => {
          // Added after the request was answered 503: nobody waits for it, so nobody pays for it.
          if (!this.pending.has(jobId)) void queue.remove(jobId).catch(() => {});
          this.pending.added(jobId);
        },
        () => this.pending.reject(jobId, unavailable()),
      );
    return outcome;
  }

  private async lookUpLate(): Promise<void> {
    const late = this.pending.waitingLongerThan(LOOK_UP_AFTER_MS, 100);
    await Promise.all(
      late.map(async (waiter) => {
        const { jobId } = waiter;
        try {
          const job = await this.queues.get(waiter.model)!.getJob(jobId);
          if (!job) this.pending.finish(jobId, failure('server_error', 'The image job is gone (expired or removed)', waiter.model));
          else if (job.finishedOn && job.failedReason && !job.returnvalue)
            this.pending.finish(jobId, failure('server_error', `The image job failed: ${job.failedReason}`, waiter.model));
          else if (job.finishedOn) this.pending.finish(jobId, parseOutcome(job.returnvalue, waiter.model));
        } catch {
          // Redis is away: try again at the next sweep.
        }
      }),
    );
  }

  async stats(): Promise<QueueStats> {
    const counts = await Promise.all(
      [...this.queues.values()].map((queue) => queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active')),
    );
    return counts.reduce<QueueStats>(
      (sum, count) => ({
        waiting: sum.waiting + (count.waiting ?? 0) + (count.prioritized ?? 0) + (count.delayed ?? 0),
        active: sum.active + (count.active ?? 0),
      }),
      { waiting: 0, active: 0 },
    );
  }

  /** Milliseconds until each model's limiter lets the next job through (0: not limited). */
  async limiterWaits(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      [...this.queues].map(async ([model, queue]) => [model, Math.max(0, await queue.getRateLimitTtl())] as const),
    );
    return Object.fromEntries(entries);
  }

  idle(): Promise<void> {
    return this.pending.idle();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    // Bounded: with Redis away, closing the event listeners would wait for it for ever.
    await settleWithin(Promise.all([...this.events.values(), ...this.queues.values()].map((part) => part.close())), 2000);
  }
}
