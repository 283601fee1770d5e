import type { InputName } from './model-spec.js';

/**
 * One input imagegen knows, declared once: its name in the library, its name in JSON (the
 * gateway's body, a batch line, OpenAI's style), its type and what it does. The CLI's flags,
 * batch fields, the gateway's schema and openapi.json are derived from this list; each model's
 * range is its own (the catalogue's `inputs`).
 */
export interface InputDefinition {
  name: InputName;
  /** The name in JSON bodies and batch lines (`negative_prompt`). */
  jsonName: string;
  type: 'integer' | 'number' | 'string';
  /** What it does, for help texts and schemas. */
  description: string;
}

/** Every input, in the order help texts list them. */
export const INPUTS: readonly InputDefinition[] = [
  {
    name: 'seed',
    jsonName: 'seed',
    type: 'integer',
    description: 'seed for a repeatable image (one is picked and returned when not given, where the model schema has a seed)',
  },
  { name: 'width', jsonName: 'width', type: 'integer', description: "image width in pixels, within the model's range" },
  { name: 'height', jsonName: 'height', type: 'integer', description: "image height in pixels, within the model's range" },
  { name: 'steps', jsonName: 'steps', type: 'integer', description: "diffusion steps, within the model's range" },
  { name: 'guidance', jsonName: 'guidance', type: 'number', description: "how closely to follow the prompt, within the model's range" },
  {
    name: 'negativePrompt',
    jsonName: 'negative_prompt',
    type: 'string',
    description: 'what the image should not show (SDXL family, Phoenix)',
  },
  {
    name: 'strength',
    jsonName: 'strength',
    type: 'number',
    description: 'how far to move from the input image, 0-1 (image-to-image models)',
  },
  {
    name: 'qualityTier',
    jsonName: 'quality',
    type: 'string',
    description: 'quality tier: low, medium, high or auto (gpt-image models)',
  },
  {
    name: 'aspectRatio',
    jsonName: 'aspect_ratio',
    type: 'string',
    description: 'shape of the image, such as 16:9 (imagen-4)',
  },
];

/**
 * An input's name in JSON (`negativePrompt` -> `negative_prompt`).
 *
 * @example
 * inputJsonName('negativePrompt'); // 'negative_prompt'
 */
export const inputJsonName = (name: InputName): string => INPUTS.find((input) => input.name === name)?.jsonName ?? name;

/**
 * An input's command-line flag (`negativePrompt` -> `--negative-prompt`).
 *
 * @example
 * inputFlag('negativePrompt'); // '--negative-prompt'
 */
export const inputFlag = (name: InputName): string => `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * Why a JSON value can't be this input's, in words, or undefined: the type only (each model's
 * range is checked with the model).
 *
 * @example
 * inputTypeProblem(INPUTS[0]!, 1.5); // 'must be an integer'
 */
export function inputTypeProblem(input: InputDefinition, value: unknown): string | undefined {
  if (input.type === 'string') return typeof value === 'string' ? undefined : 'must be a string';
  if (typeof value !== 'number' || !Number.isFinite(value)) return input.type === 'integer' ? 'must be an integer' : 'must be a number';
  return input.type === 'integer' && !Number.isInteger(value) ? 'must be an integer' : undefined;
}
