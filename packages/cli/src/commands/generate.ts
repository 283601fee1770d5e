import {
  defaultModels,
  type GenerateOptions,
  generateWithFallbacks,
  ImageGenerationError,
  inputFlag,
  issueText,
  paramsIssue,
} from '@imagegen/core';
import { type Command, Option } from 'commander';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { fileProblem } from '../readable-file.js';
import { abortOnInterrupt } from '../interrupt.js';
import { failureLine, resultJson, successLine } from '../result-output.js';
import { openRuntime } from '../runtime.js';
import { resolveSettings } from '../settings-sources.js';
import {
  type CommandRunner,
  addRetryFlags,
  addInputFlags,
  addOutputFlags,
  addSettingFlags,
  collect,
  type InputFlags,
  inputParams,
  type OutputFlags,
  outputParams,
  modelName,
  modelOption,
  retryFromFlags,
  settingFlags,
} from './shared-options.js';
import { printConfigError, say, writeJson } from './terminal.js';

interface GenerateFlags extends InputFlags, OutputFlags {
  model: string;
  /** Paths of the input images (several: reference images for FLUX.2) and a mask. */
  image?: string[];
  mask?: string;
  json?: boolean;
  retry429?: boolean;
  retries?: number;
  fallback?: string;
  out?: string;
  fluxUrl?: string;
  sdxlUrl?: string;
}

async function generate(words: string[], flags: GenerateFlags, command: Command): Promise<number> {
  if (flags.fallback && flags.fallback === flags.model)
    command.error('error: --fallback must name the other model', { exitCode: EXIT.usage });
  const prompt = words.join(' ');
  // Input images are looked at before anything starts: a missing file is a usage error (the core reads them).
  for (const [name, path] of [...(flags.image ?? []).map((path) => ['image', path] as const), ['mask', flags.mask] as const]) {
    if (path === undefined) continue;
    const problem = await fileProblem(path);
    if (problem) command.error(`error: cannot read the ${name} '${path}': ${problem}`, { exitCode: EXIT.usage });
  }
  const images: Pick<GenerateOptions, 'image' | 'mask'> = {
    ...(flags.image === undefined ? {} : { image: flags.image.length === 1 ? flags.image[0]! : flags.image }),
    ...(flags.mask === undefined ? {} : { mask: flags.mask }),
  };
  // The model's ranges, said in the flags' own names before anything starts.
  const issue = paramsIssue(defaultModels[flags.model]!, inputParams(flags));
  if (issue) command.error(`error: ${issueText(issue, inputFlag)}`, { exitCode: EXIT.usage });
  const resolved = await resolveSettings(settingFlags(flags), process.env, process.cwd());
  let runtime;
  try {
    runtime = await openRuntime({ resolved, retry: retryFromFlags(flags), say, client: 'node-http' });
  } catch (error) {
    return printConfigError(error, Boolean(flags.json));
  }
  const interrupt = abortOnInterrupt();
  try {
    const { generator } = runtime;
    const params: GenerateOptions = { ...inputParams(flags), ...outputParams(flags), ...images };
    // The gateway's fallback chains and this flag share one mechanism: the next model on 3040,
    // 3036, a server error or a timeout, with only the inputs it takes.
    const models = flags.fallback ? [flags.model, flags.fallback] : [flags.model];
    const { result, passedOver } = await generateWithFallbacks(
      generator,
      models,
      prompt,
      { ...params, signal: interrupt.signal },
      (from, to) => say(`${from.model} failed (${from.code}): trying ${to}`),
    );
    const fallbackFrom: ImageGenerationError | undefined = passedOver[0];
    const extra = fallbackFrom ? { fallback: { from: fallbackFrom.model, error: fallbackFrom.toJSON() } } : {};
    if (flags.json) writeJson(resultJson(result, extra));
    if (result.ok) {
      if (!flags.json) process.stdout.write(`${result.path}\n`);
      process.stderr.write(
        `${successLine(result)}${fallbackFrom ? ` (served by ${result.model} after ${fallbackFrom.model} failed)` : ''}\n`,
      );
      return EXIT.ok;
    }
    process.stderr.write(`${failureLine(result.error)}\n`);
    return exitCodeFor(result.error);
  } finally {
    interrupt.dispose();
    await runtime.close();
  }
}

/** `imagegen edit <image> <prompt...>`: generate from an input image (image-to-image, inpainting). */
export function registerEdit(program: Command, run: CommandRunner): void {
  const command = program
    .command('edit')
    .description('make an image from an input image and a prompt (image to image; inpainting with --mask); prints the saved path')
    .argument('<image>', 'the input image: a PNG, JPEG or WebP file')
    .argument('<prompt...>', 'the prompt (quote it, or pass several words)')
    .addOption(modelOption('sd15-img2img'))
    .option('--json', 'print the result as one JSON object')
    .option('--image <file>', 'another reference image (FLUX.2 takes up to 4 in all); repeat for more', collect)
    .option('--mask <file>', 'where to redraw: white on black, the size of the image (sd15-inpainting, the SDXL family)');
  addSettingFlags(addRetryFlags(addOutputFlags(addInputFlags(command)))).action(
    (image: string, words: string[], flags: GenerateFlags, self: Command) =>
      run(() => generate(words, { ...flags, image: [image, ...(flags.image ?? [])] }, self)),
  );
}

/** `imagegen generate <prompt...>` */
export function registerGenerate(program: Command, run: CommandRunner): void {
  const command = program
    .command('generate')
    .alias('gen')
    .description('generate one image from a prompt; prints the saved path')
    .argument('<prompt...>', 'the prompt (quote it, or pass several words)')
    .addOption(modelOption())
    .option('--json', 'print the result as one JSON object')
    .option('--image <file>', 'an input image to start from (models that take one: imagegen models); repeat for FLUX.2 references', collect)
    .option('--mask <file>', 'where to redraw in --image: white on black, of its size')
    .addOption(
      new Option('--fallback <model>', 'try this model when the first fails with 3040, 3036, a server error or a timeout').argParser(
        modelName,
      ),
    );
  addSettingFlags(addRetryFlags(addOutputFlags(addInputFlags(command)))).action((words: string[], flags: GenerateFlags, self: Command) =>
    run(() => generate(words, flags, self)),
  );
}
