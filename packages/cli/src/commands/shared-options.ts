import { catalogue, findModel, type GenerateOptions, type GenerationParams, inputFlag, INPUTS, type OutputFormat } from '@imagegen/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../exit-codes.js';

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
export function settingFlags(options: { out?: string; fluxUrl?: string; sdxlUrl?: string }): Partial<Record<string, string>> {
  return { IMAGEGEN_OUTPUT_DIR: options.out, FLUX_WORKER_URL: options.fluxUrl, SDXL_WORKER_URL: options.sdxlUrl };
}

/**
 * Parses a model flag: any catalogue alias or Workers AI id, as its alias.
 *
 * @example
 * modelName('@cf/leonardo/lucid-origin'); // 'lucid-origin'
 */
export function modelName(text: string): string {
  const model = findModel(text.trim());
  if (!model)
    throw new InvalidArgumentError(
      `unknown model; use an alias or a Workers AI id (imagegen models): ${catalogue.map((entry) => entry.alias).join(', ')}`,
    );
  return model.alias;
}

/** `--model <alias or id>`, flux by default. */
export const modelOption = (fallback = 'flux'): Option =>
  new Option('-m, --model <model>', 'model alias or Workers AI id (see imagegen models)').argParser(modelName).default(fallback);

/** Parses a number flag (guidance): any finite number; the model's range is checked by the core. */
export function finiteNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError('must be a number');
  return value;
}

/** Collects a repeatable flag's values in order (`--image a.png --image b.png`). */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Parses a whole number flag whose range depends on the model (width, steps): checked with the model, in its range. */
export function wholeNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError("must be a whole number (each model's range: imagegen models)");
  }
  return value;
}

/** The model input flags as commander parses them: the core's parameters but the images (files here). */
export type InputFlags = Omit<GenerationParams, 'image' | 'mask'>;

/** `--format` and `--quality` as commander parses them. */
export interface OutputFlags {
  format?: OutputFormat;
  quality?: number;
  /** False with `--no-cache`. */
  cache?: boolean;
}

/** The set input flags as the core's options (unset ones left out). */
export function inputParams(flags: InputFlags): InputFlags {
  const params: InputFlags = {};
  for (const { name } of INPUTS) {
    if (flags[name] !== undefined) (params as Record<string, unknown>)[name] = flags[name];
  }
  return params;
}

/** `--format` / `--quality` / `--no-cache` as the core's `outputFormat` / `outputQuality` / `cache` (unset ones left out). */
export const outputParams = (flags: OutputFlags): Pick<GenerateOptions, 'outputFormat' | 'outputQuality' | 'cache'> => ({
  ...(flags.format === undefined ? {} : { outputFormat: flags.format }),
  ...(flags.quality === undefined ? {} : { outputQuality: flags.quality }),
  ...(flags.cache === false ? { cache: false } : {}),
});

/**
 * `--format` and `--quality`: the file's format, converted when the model answers another.
 * Both generate and batch take them.
 */
export function addOutputFlags(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', "the file's format, converted when the model answers another (default: the model's own)").choices([
        'png',
        'jpeg',
        'webp',
      ]),
    )
    .option('--quality <n>', 'JPEG or WebP quality, 1-100 (with --format jpeg or webp)', integerIn(1, 100))
    .option('--no-cache', 'neither read nor fill the result cache (IMAGEGEN_CACHE_DIR) for seeded calls')
    .hook('preAction', (self) => {
      // Said in the flags' own names, before anything runs (the core would name its options).
      const { format, quality } = self.opts<OutputFlags>();
      if (quality === undefined || format === 'jpeg' || format === 'webp') return;
      const problem = format === undefined ? 'needs --format jpeg or webp' : `applies to --format jpeg or webp, not ${format}`;
      self.error(`error: --quality ${problem}`, { exitCode: EXIT.usage });
    });
}

/**
 * The model input flags, one per input of the catalogue (`--seed`, `--width`, `--height`,
 * `--steps`, `--guidance`, `--negative-prompt`, `--strength`). Their ranges are each model's
 * (imagegen models), checked before any request.
 */
export function addInputFlags(command: Command): Command {
  for (const input of INPUTS) {
    const flag = `${inputFlag(input.name)} ${input.type === 'string' ? '<text>' : input.type === 'integer' ? '<n>' : '<x>'}`;
    if (input.type === 'string') command.option(flag, input.description);
    else command.option(flag, input.description, input.type === 'integer' ? wholeNumber : finiteNumber);
  }
  return command;
}

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
