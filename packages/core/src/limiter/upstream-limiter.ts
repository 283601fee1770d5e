/** How one upstream attempt went, as the limiter learns from it. */
export type AttemptOutcome =
  /** An answer came back (an image or a 4xx that is the caller's fault): how long it took. */
  | { kind: 'ok'; latencyMs: number }
  /** The upstream is out of capacity (429, Workers AI 3040): wait what it asked, if it did. */
  | { kind: 'throttled'; retryAfterMs?: number | undefined }
  /** Anything else (5xx, network, timeout, abort): says nothing about capacity. */
  | { kind: 'failed' };

/** One slot of the upstream, held for one HTTP attempt. */
export interface UpstreamPermit {
  /** Gives the slot back, saying how the attempt went. Call it exactly once. */
  release(outcome: AttemptOutcome): void;
}

/** What a limiter is doing for one upstream, for progress lines and metrics. */
export interface LimiterState {
  /** Attempts allowed at once now. */
  concurrency: number;
  /** Starts a minute it paces to, once it has met the upstream's limit (or the ceiling). */
  ratePerMinute: number | undefined;
  inFlight: number;
  waiting: number;
}

/**
 * Gates the HTTP attempts to each upstream (a route and a model, named by `key`): an attempt
 * waits for a permit, and tells the limiter how it went when it gives it back.
 */
export interface UpstreamLimiter {
  /** Waits for a slot of `key`; rejects with the signal's reason when it aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<UpstreamPermit>;
  /** The state of every upstream seen so far, by key. */
  states(): Record<string, LimiterState>;
}
