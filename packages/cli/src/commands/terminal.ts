import { ImageGenerationError } from '@imagegen/core';
import pc from 'picocolors';
import { EXIT, exitCodeFor } from '../exit-codes.js';

/** A note for the user on stderr (never stdout, which scripts read). */
export function say(line: string): void {
  process.stderr.write(`${pc.dim('imagegen:')} ${line}\n`);
}

/** One JSON object, one line, on stdout. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Reports a settings error (an invalid worker URL) and gives its exit code; rethrows anything else. */
export function printConfigError(error: unknown, json: boolean): number {
  if (!ImageGenerationError.isInstance(error)) throw error;
  if (json) writeJson({ ok: false, error: error.toJSON() });
  process.stderr.write(`${pc.red('✖')} ${error.message} [${error.code}]\n`);
  return error.code === 'not_configured' ? EXIT.notConfigured : exitCodeFor(error);
}

/**
 * What to say when a server cannot listen: a port in use names the flag to change.
 *
 * @example
 * say(listenFailure(error, 8080, 'the gateway')); // 'port 8080 is already in use: pick another with --port'
 */
export function listenFailure(error: unknown, port: number, what: string): string {
  return (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
    ? `port ${port} is already in use: pick another with --port`
    : `cannot start ${what}: ${(error as Error).message}`;
}
