import {
  formatNeurons,
  formatUsd,
  type GenerationResult,
  type GenerationSuccess,
  type ImageCost,
  type ImageGenerationError,
} from '@imagegen/core';
import pc from 'picocolors';

/** A result as `--json` prints it: the core's result, with the error as plain data. */
export function resultJson(result: GenerationResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return result.ok ? { ...result, ...extra } : { ok: false, ...extra, error: result.error.toJSON() };
}

const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;

/** The short human line on stderr after a success: model, route, seed, size, attempts, time. */
export function successLine(result: GenerationSuccess): string {
  const attempts = result.cached ? 'no upstream call' : `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
  const route = result.cached
    ? 'from the result cache'
    : `via ${result.route}${result.cacheStatus ? ` (cache ${result.cacheStatus})` : ''}`;
  const seed = result.seed === undefined ? '' : ` · seed ${result.seed}`;
  return `${pc.green('✔')} ${result.model} ${route}${seed} · ${sizeText(result.bytes)} · ${attempts} · ${(result.durationMs / 1000).toFixed(2)} s · ${shortCost(result.cost)}`;
}

/**
 * A cost in a few words: `$0.000634 (57.6 neurons)`, or `cost unknown` (the price is not published).
 *
 * @example
 * shortCost({ neurons: 57.6, usd: 0.0006336 }); // '$0.000634 (57.6 neurons)'
 */
export function shortCost(cost: ImageCost): string {
  if ('unknown' in cost) return 'cost unknown';
  return `$${formatUsd(cost.usd)} (${formatNeurons(cost.neurons)} neurons)`;
}

/** The human line on stderr after a failure: code, message, status. */
export function failureLine(error: ImageGenerationError): string {
  const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
  return `${pc.red('✖')} ${error.model}: ${error.message}${status} [${error.code}]`;
}
