import type { Clock } from './ports.js';

// Cheap abort reasons: abort() without one builds a DOMException with a stack.
const STOPPED = Symbol('stopped');
const RESCHEDULED = Symbol('rescheduled');

/**
 * One timer per attempt for every time limit of it: it fires when nothing happened for the
 * current phase's limit (waiting for headers, then between two chunks of the body). Activity
 * only moves a timestamp, so a body of a thousand chunks still costs one timer, and the
 * injected clock (fake in tests) drives it.
 */
export class Watchdog {
  private last: number;
  private stopped = false;
  private sleeper = new AbortController();

  constructor(
    private readonly clock: Clock,
    private limitMs: number,
    onExpire: () => void,
  ) {
    this.last = clock.now();
    void this.run().then((expired) => expired && onExpire());
  }

  private async run(): Promise<boolean> {
    for (let wait = this.limitMs; wait > 0 && !this.stopped; wait = this.last + this.limitMs - this.clock.now()) {
      try {
        await this.clock.sleep(wait, this.sleeper.signal);
      } catch {
        // Stopped, or rescheduled for a shorter limit: the loop condition tells which.
      }
    }
    return !this.stopped;
  }

  /** Something happened: the current limit counts again from now. */
  touch(): void {
    this.last = this.clock.now();
  }

  /** A new phase with its own limit, counted from now. */
  phase(limitMs: number): void {
    const shorter = limitMs < this.limitMs;
    this.limitMs = limitMs;
    this.touch();
    if (shorter) {
      const current = this.sleeper;
      this.sleeper = new AbortController();
      current.abort(RESCHEDULED);
    }
  }

  stop(): void {
    this.stopped = true;
    this.sleeper.abort(STOPPED);
  }
}
