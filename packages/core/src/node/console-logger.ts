import type { Logger } from '../ports.js';

const levels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level, or `silent`. */
export type LogLevel = (typeof levels)[number];

/**
 * A logger that writes one JSON line per entry to stderr, from `level` up. Enough for a library;
 * the gateway uses pino.
 *
 * @example
 * const logger = createConsoleLogger('info');
 * logger.info({ model: 'flux' }, 'image saved');
 */
export function createConsoleLogger(level: LogLevel = 'warn'): Logger {
  const threshold = levels.indexOf(level);
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (fields: object, message?: string): void => {
      if (levels.indexOf(name) < threshold) return;
      process.stderr.write(`${JSON.stringify({ level: name, time: Date.now(), ...fields, msg: message })}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Reads a log level name, falling back to `warn` for anything unknown. */
export function parseLogLevel(value: string | undefined): LogLevel {
  return (levels as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'warn';
}
