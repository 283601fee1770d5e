import type { WorkOutcome } from './image-work.js';

/** The time the registry runs on: the system's, or a test's. */
export interface PendingClock {
  now(): number;
  /** Runs `fn` after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** The system's clock. */
export const systemPendingClock: PendingClock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

interface Pending {
  model: string;
  since: number;
  resolve: (outcome: WorkOutcome) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

/**
 * The requests waiting for their jobs' outcomes, by job id: what the BullMQ adapter answers
 * from its event listeners, its late look-ups and its timeouts. No Redis here, and the clock is
 * injected, so each rule is tested alone.
 *
 * @example
 * const pending = new PendingJobs();
 * const outcome = pending.wait('job-1', 'flux', { giveUpAfterMs: 5000, onGiveUp: () => new Error('unavailable') });
 * pending.added('job-1'); // the job is in Redis: no give-up any more
 * pending.finish('job-1', { ok: true, attempts: 1, contentType: 'image/png', b64: '...' });
 */
export class PendingJobs {
  private readonly entries = new Map<string, Pending>();
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly clock: PendingClock = systemPendingClock) {}

  /** Requests waiting now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Registers a request for `jobId`: the promise settles with {@link finish}, or rejects with
   * `onGiveUp()` when the job was not {@link added} within `giveUpAfterMs` (Redis away).
   */
  wait(jobId: string, model: string, options: { giveUpAfterMs: number; onGiveUp: () => unknown }): Promise<WorkOutcome> {
    return new Promise<WorkOutcome>((resolve, reject) => {
      const cancelGiveUp = this.clock.after(options.giveUpAfterMs, () => this.reject(jobId, options.onGiveUp()));
      this.entries.set(jobId, { model, since: this.clock.now(), resolve, reject, cleanup: cancelGiveUp });
    });
  }

  /** The job is in the queue: the request now waits for its outcome, however long it takes. */
  /** Whether a request still waits for `jobId`. */
  has(jobId: string): boolean {
    return this.entries.has(jobId);
  }

  added(jobId: string): void {
    this.entries.get(jobId)?.cleanup();
  }

  /** Answers the request of `jobId` (once; later answers are ignored). Says whether one waited. */
  finish(jobId: string, outcome: WorkOutcome): boolean {
    return this.settle(jobId, (entry) => entry.resolve(outcome));
  }

  /** Fails the request of `jobId` with `error`. Says whether one waited. */
  reject(jobId: string, error: unknown): boolean {
    return this.settle(jobId, (entry) => entry.reject(error));
  }

  /** Up to `limit` requests that have waited longer than `ms`: their events may have been missed. */
  waitingLongerThan(ms: number, limit: number): Array<{ jobId: string; model: string }> {
    const now = this.clock.now();
    const late: Array<{ jobId: string; model: string }> = [];
    for (const [jobId, entry] of this.entries) {
      if (late.length >= limit) break;
      if (now - entry.since > ms) late.push({ jobId, model: entry.model });
    }
    return late;
  }

  /** Resolves once no request waits. */
  idle(): Promise<void> {
    return this.entries.size === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(jobId: string, answer: (entry: Pending) => void): boolean {
    const entry = this.entries.get(jobId);
    if (!entry) return false;
    this.entries.delete(jobId);
    entry.cleanup();
    answer(entry);
    if (this.entries.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    return true;
  }
}
