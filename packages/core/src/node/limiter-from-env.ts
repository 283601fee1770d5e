import { imageError } from '../error-factory.js';
import { systemClock } from '../clock.js';
import { AdaptiveLimiters } from '../limiter/adaptive-limiters.js';

/**
 * Parses a rate ceiling: `600` or `600/min`, a whole number of requests a minute from 1.
 *
 * @example
 * parseMaxRate('600/min'); // 600
 */
export function parseMaxRate(value: string): number | undefined {
  const match = /^\s*(\d+)\s*(?:\/\s*min)?\s*$/.exec(value);
  const rate = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(rate) && rate >= 1 ? rate : undefined;
}

/**
 * The one reading of `IMAGEGEN_MAX_RATE` (requests a minute, `600` or `600/min`): undefined when
 * unset or blank; throws `not_configured` when it is not a whole number from 1.
 *
 * @example
 * maxRateFromEnv({ IMAGEGEN_MAX_RATE: '600/min' }); // 600
 */
export function maxRateFromEnv(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const raw = env.IMAGEGEN_MAX_RATE?.trim();
  if (!raw) return undefined;
  const rate = parseMaxRate(raw);
  if (rate === undefined) {
    throw imageError('not_configured', 'settings', {
      detail: `IMAGEGEN_MAX_RATE must be a whole number of requests a minute (got '${raw}')`,
    });
  }
  return rate;
}

/**
 * The adaptive limiter of a long-running process (the gateway, a queue worker): on unless
 * `IMAGEGEN_ADAPTIVE=0`, with a ceiling when `IMAGEGEN_MAX_RATE` (requests a minute) is set.
 * Throws `not_configured` for a rate that is not a whole number from 1.
 *
 * @example
 * limiterFromEnv({ IMAGEGEN_MAX_RATE: '600/min' }); // AdaptiveLimiters paced to at most 600 a minute
 */
export function limiterFromEnv(env: Readonly<Record<string, string | undefined>>): AdaptiveLimiters | undefined {
  const maxPerMinute = maxRateFromEnv(env);
  const off = ['0', 'false', 'no', 'off'].includes(env.IMAGEGEN_ADAPTIVE?.trim().toLowerCase() ?? '');
  if (off && maxPerMinute === undefined) return undefined;
  return new AdaptiveLimiters({ clock: systemClock, maxPerMinute });
}
