import type { Logger } from './ports.js';

const ignore = (): void => {};

/**
 * A logger that drops everything: the core's default, so a library never prints on its own.
 *
 * @example
 * new ImageGenerator({ settings, fetch, store, logger: silentLogger });
 */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
