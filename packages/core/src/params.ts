import { encodeBase64 } from './bytes.js';
import type { CatalogueModel, InputSpec } from './catalogue/model-spec.js';
import { inputImageList } from './input-image.js';
import type { CacheOptions, GenerationParams, ImageModel } from './models/model.js';

const INPUT_NAMES = ['steps', 'guidance', 'width', 'height', 'seed', 'negativePrompt', 'strength'] as const;

/**
 * The range of an input in words, the same in the library, the CLI and the gateway.
 *
 * @example
 * rangeText({ name: 'width', field: 'width', type: 'integer', min: 256, max: 2048 }); // 'an integer from 256 to 2048'
 */
export function rangeText(spec: InputSpec): string {
  if (spec.type === 'string') return 'text';
  const kind = spec.type === 'integer' ? 'an integer' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
  if (spec.max !== undefined) return `${kind} up to ${spec.max}`;
  if (spec.min !== undefined) return `${kind} from ${spec.min}`;
  return kind;
}

/** True when `model` takes the input `name`. */
export const takesInput = (model: Pick<ImageModel, 'inputs'>, name: InputSpec['name']): boolean =>
  model.inputs.some((input) => input.name === name);

/** A parameter a model can't take as given: which one, and why in words. */
export interface ParamIssue {
  name: InputSpec['name'];
  message: string;
}

/**
 * The first parameter `model` can't take as given, or undefined: each set parameter must be one
 * the model takes, of its type, within its range (Cloudflare's, from the catalogue).
 *
 * @example
 * paramsIssue(sdxl, { width: 5000 }); // { name: 'width', message: 'width must be an integer from 256 to 2048 for sdxl' }
 */
export function paramsIssue(model: ImageModel, params: Omit<GenerationParams, 'image' | 'mask'>): ParamIssue | undefined {
  for (const name of INPUT_NAMES) {
    const value = params[name];
    if (value === undefined) continue;
    const spec = model.inputs.find((input) => input.name === name);
    if (!spec) {
      const taken = model.inputs.map((input) => input.name).join(', ');
      return { name, message: `${model.name} does not take ${name} (it takes ${taken || 'only a prompt'})` };
    }
    const wrong = { name, message: `${name} must be ${rangeText(spec)} for ${model.name}` };
    if (spec.type === 'string') {
      if (typeof value !== 'string') return wrong;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return wrong;
    if (spec.type === 'integer' && !Number.isInteger(value)) return wrong;
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return wrong;
  }
  return undefined;
}

/**
 * Why the generation parameters can't be sent to `model`, or undefined ({@link paramsIssue}'s words).
 *
 * @example
 * paramsProblem(flux, { width: 512 }); // 'flux does not take width (it takes steps, seed)'
 */
export const paramsProblem = (model: ImageModel, params: Omit<GenerationParams, 'image' | 'mask'>): string | undefined =>
  paramsIssue(model, params)?.message;

/**
 * The set parameters under their Workers AI field names (`steps` -> `num_steps`), for a request.
 *
 * @example
 * workersAiInputs(sdxl, { steps: 10, negativePrompt: 'blur' }); // { num_steps: 10, negative_prompt: 'blur' }
 */
export function workersAiInputs(model: Pick<ImageModel, 'inputs'>, params: GenerationParams): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const input of model.inputs) {
    const value = params[input.name];
    if (value !== undefined) fields[input.field] = value;
  }
  return fields;
}

/**
 * The input images as JSON fields, under Workers AI's names: `image_b64` (base64 text) and `mask`
 * (an array of byte values, the only form its schema has for a mask); for the models sent as
 * multipart (FLUX.2), `input_image_0`... as base64 text (the generic worker turns them into file parts).
 *
 * @example
 * workersAiImages(sdxlBase, { image: png }); // { image_b64: 'iVBORw0...' }
 */
export function workersAiImages(model: Pick<CatalogueModel, 'send'>, params: GenerationParams): Record<string, string | number[]> {
  const images = inputImageList(params.image);
  if (model.send === 'multipart') return Object.fromEntries(images.map((image, index) => [`input_image_${index}`, encodeBase64(image)]));
  return {
    ...(images[0] === undefined ? {} : { image_b64: encodeBase64(images[0]) }),
    ...(params.mask === undefined ? {} : { mask: Array.from(params.mask) }),
  };
}

/**
 * Why AI Gateway's cache options are wrong, or undefined: `cacheTtl` is whole seconds (AI
 * Gateway's `cf-aig-cache-ttl`), `skipCache` a boolean.
 *
 * @example
 * cacheProblem({ cacheTtl: -1 }); // 'cacheTtl must be a whole number of seconds from 1'
 */
export function cacheProblem(cache: CacheOptions): string | undefined {
  const { cacheTtl, skipCache } = cache;
  if (cacheTtl !== undefined && (typeof cacheTtl !== 'number' || !Number.isInteger(cacheTtl) || cacheTtl < 1)) {
    return 'cacheTtl must be a whole number of seconds from 1';
  }
  if (skipCache !== undefined && typeof skipCache !== 'boolean') return 'skipCache must be true or false';
  return undefined;
}
