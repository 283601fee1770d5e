/**
 * How one call learns it must stop (`close()`, the caller's signal): the reason, and the one
 * thing waiting on it at a time (the attempt in progress, or the wait before a retry). Not an
 * AbortController: a call already has one per attempt for the transport, and a second per call
 * was a large part of what each image left for the garbage collector.
 */
export class CallStop {
  aborted = false;
  reason: unknown = undefined;
  private listener: ((reason: unknown) => void) | undefined;

  /** Stops the call with `reason` (the first reason wins). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.listener?.(reason);
  }

  /**
   * Calls `listener` when the call stops (at once if it has); returns what undoes it. The
   * steps of a call run one after another, so one listener is kept: the latest.
   */
  onStop(listener: (reason: unknown) => void): () => void {
    if (this.aborted) {
      listener(this.reason);
      return () => {};
    }
    this.listener = listener;
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }

  /** An AbortSignal that follows this stop, for an API that wants one (a retry's wait). */
  signal(): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    const release = this.onStop((reason) => controller.abort(reason));
    return { signal: controller.signal, release };
  }
}
