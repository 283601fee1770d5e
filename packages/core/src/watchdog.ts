import { startTimer } from './clock.js';
import type { Clock } from './ports.js';

/**
 * One timer at a time per attempt for every time limit of it: it fires when nothing happened
 * for the current phase's limit (waiting for headers, then between two chunks of the body).
 * Activity only moves a timestamp; when the timer fires early because of it, it is set again
 * for the rest. So a body of a thousand chunks still costs one timer, and the injected clock
 * (fake in tests) drives it.
 */
export class Watchdog {
  private last: number;
  private cancel: () => void;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private limitMs: number,
    private readonly onExpire: () => void,
  ) {
    this.last = clock.now();
    this.cancel = startTimer(clock, limitMs, this.check);
  }

  private readonly check = (): void => {
    if (this.stopped) return;
    const left = this.last + this.limitMs - this.clock.now();
    if (left <= 0) {
      this.stopped = true;
      this.onExpire();
      return;
    }
    this.cancel = startTimer(this.clock, left, this.check);
  };

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
      this.cancel();
      this.cancel = startTimer(this.clock, limitMs, this.check);
    }
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }
}
