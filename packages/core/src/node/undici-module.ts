import { createRequire } from 'node:module';
import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/**
 * undici, loaded the first time a transport, a fetch or an agent is made: a command that makes
 * no request (`imagegen --help`, `models`, `config`) never pays for it (about 100 ms of a CLI run).
 * The functions a request calls are taken once, when the transport is made, not per request.
 *
 * @example
 * const { Agent } = undici();
 */
export const undici = (): typeof Undici => (loaded ??= createRequire(import.meta.url)('undici') as typeof Undici);
