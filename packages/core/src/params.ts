import type { GenerationParams, ImageModel } from './models/model.js';

const integerRanges: Readonly<Record<Exclude<keyof GenerationParams, 'negativePrompt'>, [number, number]>> = {
  seed: [0, 2 ** 32 - 1],
  width: [64, 4096],
  height: [64, 4096],
  steps: [1, 100],
};

/**
 * Why the generation parameters can't be sent to `model`, or undefined: each set parameter must
 * be one the model supports and, for numbers, an integer in a sane range (the worker checks its
 * own tighter ranges).
 *
 * @example
 * paramsProblem(flux, { width: 512 }); // 'flux does not support width'
 */
export function paramsProblem(model: ImageModel, params: GenerationParams): string | undefined {
  for (const name of ['seed', 'width', 'height', 'steps', 'negativePrompt'] as const) {
    const value = params[name];
    if (value === undefined) continue;
    if (!model.params.includes(name)) return `${model.name} does not support ${name}`;
    if (name === 'negativePrompt') {
      if (typeof value !== 'string') return 'negativePrompt must be a string';
      continue;
    }
    const [min, max] = integerRanges[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return `${name} must be an integer from ${min} to ${max}`;
    }
  }
  return undefined;
}
