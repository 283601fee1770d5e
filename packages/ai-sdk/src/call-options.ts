import type { ImageModelV3CallOptions, SharedV3Warning } from '@ai-sdk/provider';
import { findModel, type GenerateOptions, type ImageModel, INPUTS, type InputName, takesInput } from '@imagegen/core';
import { inputTypeProblem, unknownFieldText } from '@imagegen/core/internal';

/** imagegen's options of one `doGenerate`, before the images are read. */
export interface MappedCall {
  /** The options every image of the call shares (the seed is per image). */
  options: GenerateOptions;
  /** The first seed, when the caller gave one: image i gets seed + i. */
  seed?: number;
  warnings: SharedV3Warning[];
}

// The inputs the AI SDK names itself (size, aspectRatio, seed): not taken again in providerOptions.
const OWN_SETTINGS: Partial<Record<InputName, string>> = {
  seed: 'use generateImage({ seed })',
  width: 'use generateImage({ size: "WIDTHxHEIGHT" })',
  height: 'use generateImage({ size: "WIDTHxHEIGHT" })',
  aspectRatio: 'use generateImage({ aspectRatio: "16:9" })',
};

// The options of imagegen's own beside the model's inputs, with the type each takes.
const OTHER_OPTIONS: Readonly<Record<string, 'string' | 'number' | 'boolean' | 'object'>> = {
  outputFormat: 'string',
  outputQuality: 'number',
  route: 'string',
  cache: 'boolean',
  cacheTtl: 'number',
  skipCache: 'boolean',
  cacheKey: 'string',
  metadata: 'object',
  requestTimeoutMs: 'number',
};

const MODEL_INPUTS = INPUTS.filter((input) => OWN_SETTINGS[input.name] === undefined);

/** Every key `providerOptions.imagegen` takes, for messages and the README. */
export const PROVIDER_OPTION_KEYS: readonly string[] = [...MODEL_INPUTS.map((input) => input.name), ...Object.keys(OTHER_OPTIONS)];

/**
 * Reads `providerOptions.imagegen`: every key known and of its type, or the words of the first
 * that is not (the ranges are the model's, checked by the generator with its own messages).
 */
export function providerOptionsProblem(values: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const own = OWN_SETTINGS[key as InputName];
    if (own) return `providerOptions.imagegen.${key} is a setting of generateImage itself: ${own}`;
    const input = MODEL_INPUTS.find((candidate) => candidate.name === key || candidate.jsonName === key);
    if (input && input.name !== key) return `providerOptions.imagegen.${key}: say ${input.name}`;
    if (input) {
      const problem = inputTypeProblem(input, value);
      if (problem) return `providerOptions.imagegen.${key} ${problem}`;
      continue;
    }
    const type = OTHER_OPTIONS[key];
    if (!type) return `providerOptions.imagegen: ${unknownFieldText(key, PROVIDER_OPTION_KEYS)}`;
    const actual = value === null ? 'null' : typeof value;
    if (actual !== type) return `providerOptions.imagegen.${key} must be a ${type}`;
  }
  return undefined;
}

/**
 * The AI SDK's settings in imagegen's words: `size` to width and height, `aspectRatio` to the
 * model's own ratio (or to a size of the model's default area), `seed` to the first image's seed.
 * A setting the model has no input for becomes an `unsupported` warning, never a silent drop.
 *
 * @example
 * mapCall(model, { size: '768x512', seed: 7, ... }).options; // { width: 768, height: 512, ... }
 */
export function mapCall(model: ImageModel, call: ImageModelV3CallOptions, extra: Record<string, unknown>): MappedCall {
  const warnings: SharedV3Warning[] = [];
  const options = { ...extra } as GenerateOptions & Record<string, unknown>;
  const sized = takesInput(model, 'width') && takesInput(model, 'height');
  const native = findModel(model.name)?.defaultSize;
  if (call.size !== undefined) {
    const [width, height] = call.size.split('x').map(Number) as [number, number];
    if (sized) Object.assign(options, { width, height });
    else if (width !== native?.width || height !== native?.height)
      warnings.push({
        type: 'unsupported',
        feature: 'size',
        details: `${model.name} draws ${native ? `${native.width}x${native.height}` : 'one size'}: size ${call.size} was not sent`,
      });
  }
  if (call.aspectRatio !== undefined) {
    if (takesInput(model, 'aspectRatio')) options.aspectRatio = call.aspectRatio;
    else if (sized && call.size === undefined) Object.assign(options, sizeOfRatio(model, call.aspectRatio, native));
    else
      warnings.push({
        type: 'unsupported',
        feature: 'aspectRatio',
        details:
          call.size !== undefined
            ? 'size is given: it sets the shape'
            : `${model.name} has no aspect ratio input: ${call.aspectRatio} was not sent`,
      });
  }
  if (call.seed !== undefined && !takesInput(model, 'seed')) {
    warnings.push({ type: 'unsupported', feature: 'seed', details: `${model.name} takes no seed: its images can't be remade` });
    return { options, warnings };
  }
  return { options, warnings, ...(call.seed === undefined ? {} : { seed: call.seed }) };
}

/**
 * A width and height of the given ratio: one of the model's sizes when it draws a list, else the
 * model's default area in that shape, in steps of 64 pixels, within its ranges. imagegen chose
 * this (Cloudflare documents no aspect ratio for these models).
 */
function sizeOfRatio(model: ImageModel, ratio: string, native: { width: number; height: number } | undefined) {
  const [w, h] = ratio.split(':').map(Number) as [number, number];
  const wanted = w / h;
  if (model.sizes?.length) {
    const shapes = model.sizes.map((size) => size.split('x').map(Number) as [number, number]);
    const [width, height] = shapes.reduce((best, shape) =>
      Math.abs(Math.log(shape[0] / shape[1] / wanted)) < Math.abs(Math.log(best[0] / best[1] / wanted)) ? shape : best,
    );
    return { width, height };
  }
  const area = (native?.width ?? 1024) * (native?.height ?? 1024);
  const within = (name: 'width' | 'height', value: number): number => {
    const spec = model.inputs.find((input) => input.name === name);
    const stepped = Math.max(64, Math.round(value / 64) * 64);
    return Math.min(spec?.max ?? stepped, Math.max(spec?.min ?? stepped, stepped));
  };
  return { width: within('width', Math.sqrt(area * wanted)), height: within('height', Math.sqrt(area / wanted)) };
}
