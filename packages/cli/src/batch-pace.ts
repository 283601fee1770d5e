import { AdaptiveLimiters, type RetryOptions, systemClock } from '@imagegen/core';

/** How a batch paces its calls: a fixed number at once, or adaptive to the upstream's limit. */
export interface BatchPace {
  /** Prompts in progress at once (adaptive: the limiter holds the extra ones before their HTTP attempt). */
  queueConcurrency: number;
  limiter?: AdaptiveLimiters;
  retry: RetryOptions;
  /** The pace now, for the progress line and the summary ("adaptive: 6 at once, 580/min"). */
  describe(): string;
}

// Adaptive: enough prompts in progress for the limiter to find a high limit, few enough that
// memory stays flat; the HTTP attempts themselves are what the limiter gates.
const ADAPTIVE_QUEUE = 64;

/**
 * The batch's pace: `--concurrency N` pins N at once, as before; without it an adaptive limiter
 * per model finds the account's rate (429s are then retried, honouring Retry-After, so no prompt
 * is lost to them), capped by `--max-rate` / `IMAGEGEN_MAX_RATE` when given.
 *
 * @example
 * const pace = batchPace({ retries: 3 }, undefined);
 * pace.describe(); // 'adaptive'
 */
export function batchPace(
  flags: { concurrency?: number; maxRate?: number; retries?: number; retry429?: boolean },
  envMaxRate: number | undefined,
): BatchPace {
  const retry: RetryOptions = { ...(flags.retries === undefined ? {} : { retries: flags.retries }), on429: Boolean(flags.retry429) };
  if (flags.concurrency !== undefined)
    return { queueConcurrency: flags.concurrency, retry, describe: () => `${flags.concurrency} at once` };
  const maxPerMinute = flags.maxRate ?? envMaxRate;
  const limiter = new AdaptiveLimiters({ clock: systemClock, maxPerMinute });
  return {
    queueConcurrency: ADAPTIVE_QUEUE,
    limiter,
    retry: { ...retry, on429: true },
    describe: () => {
      const states = Object.values(limiter.states());
      if (states.length === 0) return 'adaptive';
      const concurrency = states.reduce((sum, state) => sum + state.concurrency, 0);
      const rates = states.map((state) => state.ratePerMinute);
      const rate = rates.every((value) => value !== undefined) ? `, ${rates.reduce((sum, value) => sum + value, 0)}/min` : '';
      return `adaptive: ${concurrency} at once${rate}`;
    },
  };
}
