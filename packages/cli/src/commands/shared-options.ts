import { type Command, InvalidArgumentError, Option } from 'commander';
import type { SettingName } from '../settings-sources.js';

/** Runs a command's action and records its exit code (program.ts hands it to every command). */
export type CommandRunner = (action: () => Promise<number>) => Promise<void>;

/** Parses a whole number in [min, max] for a flag, or fails with a usage error. */
export const integerIn =
  (min: number, max: number) =>
  (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return value;
  };

/** The flags that override settings, shared by the commands that generate. */
export function addSettingFlags(command: Command): Command {
  return command
    .option('--out <dir>', 'output directory (IMAGEGEN_OUTPUT_DIR, default temp/images)')
    .option('--flux-url <url>', 'Flux worker URL (FLUX_WORKER_URL)')
    .option('--sdxl-url <url>', 'SDXL worker URL (SDXL_WORKER_URL; the key comes from SDXL_API_KEY)');
}

/** The settings flags of a parsed command, by environment name. */
export function settingFlags(options: { out?: string; fluxUrl?: string; sdxlUrl?: string }): Partial<Record<SettingName, string>> {
  return { IMAGEGEN_OUTPUT_DIR: options.out, FLUX_WORKER_URL: options.fluxUrl, SDXL_WORKER_URL: options.sdxlUrl };
}

/** `--model flux|sdxl`. */
export const modelOption = (): Option => new Option('-m, --model <model>', 'model to use').choices(['flux', 'sdxl']).default('flux');

/** `--retries` and `--retry-429`: the retry policy's knobs a user may turn. */
export function addRetryFlags(command: Command): Command {
  return command
    .option('--retries <n>', 'retries after the first attempt on network errors, timeouts and 5xx (default 3)', integerIn(0, 10))
    .option('--retry-429', 'also retry when the worker is rate limited, honouring Retry-After');
}

/** The retry options from {@link addRetryFlags}' flags. */
export function retryFromFlags(flags: { retries?: number; retry429?: boolean }): { retries?: number; on429: boolean } {
  return { ...(flags.retries === undefined ? {} : { retries: flags.retries }), on429: Boolean(flags.retry429) };
}

/**
 * `-c, --concurrency <n>` (1-256, default 4), with the help text of the command that takes it.
 *
 * @example
 * addConcurrencyFlag(program.command('serve'), 'images made at once by this process');
 */
export function addConcurrencyFlag(command: Command, help: string): Command {
  return command.option('-c, --concurrency <n>', help, integerIn(1, 256), 4);
}
