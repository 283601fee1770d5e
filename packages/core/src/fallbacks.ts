import type { ErrorCode, ImageGenerationError } from './errors.js';
import type { GenerateOptions } from './generator-options.js';
import type { ImageGenerator } from './image-generator.js';
import type { GenerationResult } from './result.js';
import type { ImageModel } from './models/model.js';
import { INPUTS } from './catalogue/inputs.js';

// The failures another model may not share: the upstream busy (3040, 429), the account's daily
// allocation used (3036: another model is billed the same, but a cheaper one may fit what is
// left), a server error or a timeout after imagegen's retries. Bad input or auth would fail again.
const TRIES_NEXT: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'quota_exceeded', 'server_error', 'timeout']);

/** True when a failure of one model is worth trying the next model of a fallback chain for. */
export const triesNextModel = (error: ImageGenerationError): boolean => TRIES_NEXT.has(error.code);

/**
 * Fallback chains from their words: `flux-2-dev>flux-2-klein-9b>flux`, several separated by
 * commas; each model by alias or Workers AI id (`aliasOf` names it, or refuses it). Maps each
 * chain's first model to the models after it.
 *
 * @example
 * parseFallbacks('flux-2-dev>flux', (name) => name); // Map { 'flux-2-dev' => ['flux'] }
 */
export function parseFallbacks(text: string, aliasOf: (model: string) => string | undefined): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  for (const chain of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const models = chain.split('>').map((model) => model.trim());
    if (models.length < 2 || models.some((model) => model === ''))
      throw new Error(`fallback chain '${chain}': write it as first>second[>third]`);
    const aliases = models.map((model) => {
      const alias = aliasOf(model);
      if (!alias) throw new Error(`fallback chain '${chain}': unknown model '${model}'`);
      return alias;
    });
    if (new Set(aliases).size !== aliases.length) throw new Error(`fallback chain '${chain}': a model appears twice`);
    if (chains.has(aliases[0]!)) throw new Error(`fallback chains: two chains start with ${aliases[0]}`);
    chains.set(aliases[0]!, aliases.slice(1));
  }
  return chains;
}

/** The result of a chain: the last result, and each model's failure that sent it to the next. */
export interface ChainResult {
  result: GenerationResult;
  /** The failures that were passed over, in order (empty when the first model made the image). */
  passedOver: ImageGenerationError[];
}

/**
 * Generates with the first model of `models`, then the next on a failure another model may not
 * share ({@link triesNextModel}), each with only the inputs it takes (a size the next model does
 * not draw is left out, not refused). The result says which model made the image (`model`).
 *
 * @example
 * const { result, passedOver } = await generateWithFallbacks(generator, ['flux-2-dev', 'flux'], 'a fox', { steps: 20 });
 */
export async function generateWithFallbacks(
  generator: ImageGenerator,
  models: readonly string[],
  prompt: string,
  options: GenerateOptions,
  onFallback?: (from: ImageGenerationError, to: string) => void,
): Promise<ChainResult> {
  const passedOver: ImageGenerationError[] = [];
  for (const [index, name] of models.entries()) {
    const spec = generator.model(name);
    const result = await generator.generate(name, prompt, index === 0 || !spec ? options : paramsTakenBy(spec, options));
    const next = models[index + 1];
    if (result.ok || next === undefined || !triesNextModel(result.error) || options.signal?.aborted) return { result, passedOver };
    passedOver.push(result.error);
    onFallback?.(result.error, next);
  }
  throw new Error('generateWithFallbacks needs at least one model');
}

/**
 * The options without the model inputs `model` does not take (what a fallback model is sent).
 *
 * @example
 * paramsTakenBy(flux, { steps: 4, negativePrompt: 'x' }); // { steps: 4 }
 */
export function paramsTakenBy<T extends GenerateOptions>(model: Pick<ImageModel, 'inputs'>, options: T): T {
  const taken = new Set(model.inputs.map((input) => input.name));
  const kept: T = { ...options };
  for (const input of INPUTS) if (!taken.has(input.name)) delete kept[input.name];
  return kept;
}
