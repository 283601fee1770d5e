import { join } from 'node:path';
import { type GenerationResult, type ImageGenerator, INPUTS, inputJsonName, issueText, paramsIssue } from '@imagegen/core';
import { imageError } from '@imagegen/core/internal';
import { maxRateFromEnv, parseMaxRate } from '@imagegen/core/node';
import { type Command, InvalidArgumentError } from 'commander';
import { type BatchItem, countPrompts, readBatch } from '../batch-input.js';
import { BatchSpend, dryRun, lineCost } from '../batch-cost.js';
import { batchPace } from '../batch-pace.js';
import { EXIT } from '../exit-codes.js';
import { fileProblem } from '../readable-file.js';
import { abortOnInterrupt } from '../interrupt.js';
import { MANIFEST_NAME, ManifestWriter, readSucceeded } from '../manifest.js';
import type { BatchCounts } from '../progress.js';
import { failureLine, resultJson } from '../result-output.js';
import { openRuntime } from '../runtime.js';
import { resolveSettings } from '../settings-sources.js';
import { capYoungGeneration } from '../young-generation.js';
import {
  type CommandRunner,
  addOutputFlags,
  addRetryFlags,
  addSettingFlags,
  integerIn,
  type OutputFlags,
  outputParams,
} from './shared-options.js';
import { modelOption, settingFlags } from './shared-options.js';
import { printConfigError, say, writeJson } from './terminal.js';

interface BatchFlags extends OutputFlags {
  model: string;
  concurrency?: number;
  maxRate?: number;
  json?: boolean;
  dryRun?: boolean;
  maxCost?: number;
  progress: boolean;
  retry429?: boolean;
  retries?: number;
  out?: string;
  fluxUrl?: string;
  sdxlUrl?: string;
}

async function batch(source: string, flags: BatchFlags, command: Command): Promise<number> {
  if (source !== '-') {
    const problem = await fileProblem(source);
    if (problem) command.error(`error: cannot read the batch file '${source}': ${problem}`, { exitCode: EXIT.usage });
  }
  if (flags.dryRun) {
    for (const line of await dryRun(source, flags.model)) process.stdout.write(`${line}\n`);
    return EXIT.ok;
  }
  const resolved = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  let envMaxRate: number | undefined;
  try {
    envMaxRate = maxRateFromEnv(resolved.env);
  } catch (error) {
    command.error(`error: ${(error as Error).message}`, { exitCode: EXIT.usage });
  }
  const pace = batchPace(flags, envMaxRate);
  // A batch may run for hours: its memory must not follow its length (see young-generation.ts).
  capYoungGeneration();
  let runtime;
  try {
    runtime = await openRuntime({
      resolved,
      retry: pace.retry,
      connections: Math.max(10, pace.queueConcurrency),
      ...(pace.limiter ? { limiter: pace.limiter } : {}),
      say,
    });
  } catch (error) {
    return printConfigError(error, Boolean(flags.json));
  }
  const started = Date.now();
  const manifestPath = join(runtime.settings.outputDir, MANIFEST_NAME);
  const succeeded = await readSucceeded(manifestPath);
  let manifest: ManifestWriter;
  try {
    manifest = await ManifestWriter.open(manifestPath);
  } catch (error) {
    await runtime.close();
    say(`cannot write the manifest in ${runtime.settings.outputDir}: ${(error as Error).message}`);
    return EXIT.failed;
  }
  // Counting reads the whole input once more: only worth it when a bar will show the total.
  const showBar = Boolean(process.stderr.isTTY) && flags.progress;
  const total = showBar && source !== '-' ? await countPrompts(source) : undefined;
  // Loaded by the command that draws them: no other command pays for a progress bar.
  const { createProgress } = await import('../progress.js');
  const progress = createProgress(total, showBar);
  const counts: BatchCounts = { done: 0, ok: 0, failed: 0, skipped: 0 };
  const interrupt = abortOnInterrupt();
  const spend = new BatchSpend(flags.maxCost);
  // The first line that --max-cost keeps from starting, and why: nothing after it starts either.
  let stopped: { line: number; why: string } | undefined;

  const run = async (item: BatchItem): Promise<void> => {
    const donePath = succeeded.get(item.key);
    if (donePath) {
      counts.done++;
      counts.skipped++;
      if (flags.json) writeJson({ ok: true, skipped: true, path: donePath, model: item.model, prompt: item.prompt, line: item.line });
      progress.update(counts);
      return;
    }
    const hold = stopped ? undefined : spend.hold(lineCost(item));
    if (!hold?.ok) {
      if (hold && (!stopped || item.line < stopped.line)) stopped = { line: item.line, why: hold.why };
      return;
    }
    const result: GenerationResult = await generateLine(item, flags, interrupt.signal, runtime.generator);
    spend.settle(hold.held, result.ok ? result.cost : undefined);
    // An interrupted prompt is neither done nor failed: the next run does it.
    if (!result.ok && interrupt.interrupted() && (result.error.code === 'aborted' || result.error.code === 'closed')) return;
    counts.done++;
    manifest.append({
      key: item.key,
      line: item.line,
      ok: result.ok,
      model: result.ok ? result.model : item.model,
      ...(result.ok
        ? { path: result.path }
        : {
            error: {
              code: result.error.code,
              message: result.error.message,
              ...(result.error.status ? { status: result.error.status } : {}),
            },
          }),
      at: new Date().toISOString(),
    });
    if (result.ok) counts.ok++;
    else counts.failed++;
    if (flags.json) writeJson(resultJson(result, { prompt: item.prompt, line: item.line }));
    else if (result.ok) process.stdout.write(`${result.path}\n`);
    if (!result.ok) progress.log(`line ${item.line}: ${failureLine(result.error)}`);
    progress.update(counts, pace.describe());
  };

  // p-queue, not Promise.race over the running tasks: each race leaves a reaction on every
  // task still running, garbage that grew the heap with the batch's length.
  const { default: PQueue } = await import('p-queue');
  const queue = new PQueue({ concurrency: pace.queueConcurrency });
  let failure: unknown;
  try {
    for await (const item of readBatch(source, flags.model)) {
      if (interrupt.interrupted() || stopped) break;
      // Read ahead no more than one prompt: memory stays flat whatever the input's length.
      await queue.onSizeLessThan(1);
      queue.add(() => run(item)).catch((error: unknown) => (failure ??= error));
    }
    await queue.onIdle();
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the task's own error, passed on as it was
    if (failure !== undefined) throw failure;
  } finally {
    progress.stop();
    interrupt.dispose();
    await manifest.close();
    await runtime.close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(
    `${counts.done} prompts: ${counts.ok} ok, ${counts.failed} failed, ${counts.skipped} skipped (done before) in ${seconds} s (${pace.describe()}); ${spend.describe()}; manifest ${manifestPath}` +
      (interrupt.interrupted() ? ' (interrupted: run again to finish)' : ''),
  );
  if (interrupt.interrupted()) return EXIT.interrupted;
  if (stopped) {
    say(`stopped before line ${stopped.line}: ${stopped.why}; run again (with a higher --max-cost) to make the rest`);
    return EXIT.failed;
  }
  return counts.failed > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * One line's image. A line that can't be made fails with why, in the batch file's own field
 * names: `invalid_prompt` for what the line says wrong, `bad_request` for an input its model refuses.
 */
async function generateLine(item: BatchItem, flags: BatchFlags, signal: AbortSignal, generator: ImageGenerator): Promise<GenerationResult> {
  if (item.problem) return { ok: false, error: imageError('invalid_prompt', item.model, { detail: item.problem }) };
  const spec = generator.model(item.model);
  const issue = spec && paramsIssue(spec, item.params);
  if (issue) return { ok: false, error: imageError('bad_request', item.model, { detail: issueText(issue, inputJsonName) }) };
  return generator.generate(item.model, item.prompt, {
    // Paths: the core reads them (a missing one is this line's bad_request).
    ...(item.image === undefined ? {} : { image: item.image }),
    ...(item.mask === undefined ? {} : { mask: item.mask }),
    ...outputParams(flags),
    ...item.params,
    signal,
  });
}

/** `imagegen batch <file|->` */
export function registerBatch(program: Command, run: CommandRunner): void {
  const command = program
    .command('batch')
    .description('generate one image per line of a file (or - for stdin); re-running skips what succeeded')
    .argument(
      '<file>',
      `prompts, one a line, or JSON lines {"prompt", "model", ${INPUTS.map((input) => `"${input.jsonName}"`).join(', ')}, "image", "mask"}; - reads stdin`,
    )
    .addOption(modelOption())
    .option(
      '-c, --concurrency <n>',
      'a fixed number of generations at once (default: adaptive to the upstream, see --max-rate)',
      integerIn(1, 256),
    )
    .option('--max-rate <n>', "at most n requests a minute to each model (your account's limit; IMAGEGEN_MAX_RATE)", (value: string) => {
      const rate = parseMaxRate(value);
      if (rate === undefined) throw new InvalidArgumentError('a whole number of requests a minute, e.g. 600 or 600/min');
      return rate;
    })
    .option('--json', 'print one JSON line per prompt on stdout (the summary goes to stderr)')
    .option('--dry-run', "print the batch's estimated cost (published prices) and its share of the daily free allocation; make nothing")
    .option(
      '--max-cost <usd>',
      'stop before the image that would take the spend past this many US dollars (the rest stays to run)',
      (value: string) => {
        const usd = Number(value);
        if (!Number.isFinite(usd) || usd <= 0) throw new InvalidArgumentError('a positive number of US dollars, e.g. 5 or 0.25');
        return usd;
      },
    )
    .option('--no-progress', 'no progress bar, even on a terminal');
  addSettingFlags(addRetryFlags(addOutputFlags(command))).action((source: string, flags: BatchFlags, self: Command) =>
    run(() => batch(source, flags, self)),
  );
}
