import type { ImageWork, WorkOutcome } from './image-work.js';

/** Numbers of the queue for /metrics. */
export interface QueueStats {
  /** Images waiting for a slot (all processes' for a shared queue). */
  waiting: number;
  /** Images being made. */
  active: number;
}

/**
 * Where the gateway sends images to be made: in process (bounded concurrency and wait) or a
 * BullMQ queue on Redis that any number of processes take from. Routes see only this port.
 */
export interface WorkQueue {
  /** Makes the image; undefined when this process has too many waiting already (503). */
  submit(work: ImageWork, signal?: AbortSignal): Promise<WorkOutcome> | undefined;
  /**
   * This process's submissions that count against its wait limit: not yet started (in process),
   * or not yet answered (shared queue, where this process cannot see when a worker starts).
   */
  readonly waiting: number;
  stats(): Promise<QueueStats>;
  /** Resolves when this process's submissions have ended. */
  idle(): Promise<void>;
  close(): Promise<void>;
}
