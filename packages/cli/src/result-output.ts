import type { GenerationResult, GenerationSuccess, ImageGenerationError } from '@imagegen/core';
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
  return `${pc.green('✔')} ${result.model} ${route}${seed} · ${sizeText(result.bytes)} · ${attempts} · ${(result.durationMs / 1000).toFixed(2)} s`;
}

/** The human line on stderr after a failure: code, message, status. */
export function failureLine(error: ImageGenerationError): string {
  const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
  return `${pc.red('✖')} ${error.model}: ${error.message}${status} [${error.code}]`;
}
