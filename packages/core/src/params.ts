import { encodeBase64 } from './bytes.js';
import { INPUTS } from './catalogue/inputs.js';
import type { CatalogueModel, InputName, InputSpec } from './catalogue/model-spec.js';
import { inputImageList } from './input-image.js';
import { sniffImage } from './sniff.js';
import type { GenerationParams, ImageModel } from './models/model.js';

/**
 * The range of an input in words, the same in the library, the CLI and the gateway.
 *
 * @example
 * rangeText({ name: 'width', field: 'width', type: 'integer', min: 256, max: 2048 }); // 'an integer from 256 to 2048'
 */
export function rangeText(spec: InputSpec): string {
  if (spec.type === 'string') {
    if (spec.values) return `one of ${spec.values.join(', ')}`;
    return spec.minLength ? `text of at least ${spec.minLength} character${spec.minLength === 1 ? '' : 's'}` : 'text';
  }
  const kind = spec.type === 'integer' ? 'an integer' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
  if (spec.max !== undefined) return `${kind} up to ${spec.max}`;
  if (spec.min !== undefined) return `${kind} from ${spec.min}`;
  return kind;
}

/** True when `model` takes the input `name`. */
export const takesInput = (model: Pick<ImageModel, 'inputs'>, name: InputSpec['name']): boolean =>
  model.inputs.some((input) => input.name === name);

/**
 * A parameter a model can't take as given, as data: which input, why (`not_taken`: the model has
 * no such input; `invalid_value`: of the wrong type or out of its range), what was expected.
 * Each adapter says it in its own names with {@link issueText}; `message` is the library's words.
 */
export interface ParamIssue {
  name: InputName;
  code: 'not_taken' | 'invalid_value';
  /** The model's range in words (`an integer from 256 to 2048`), or the inputs it takes. */
  expected: string;
  model: string;
  /** The inputs the model takes (for `not_taken`). */
  taken: readonly InputName[];
  /** The input it goes with, as one value (width with height, for a model that draws a few sizes). */
  pairedWith?: InputName;
  message: string;
}

/**
 * An issue in an adapter's own names: `--negative-prompt` on the command line, `negative_prompt`
 * in the gateway and batch lines.
 *
 * @example
 * issueText(issue, inputFlag); // '--negative-prompt must be text for sdxl'
 */
export function issueText(issue: Omit<ParamIssue, 'message'>, nameOf: (name: InputName) => string): string {
  if (issue.code === 'not_taken') {
    const taken = issue.taken.map(nameOf).join(', ');
    return `${issue.model} does not take ${nameOf(issue.name)} (it takes ${taken || 'only a prompt'})`;
  }
  if (issue.pairedWith) return `${nameOf(issue.name)} must go with ${nameOf(issue.pairedWith)} as ${issue.expected} for ${issue.model}`;
  return `${nameOf(issue.name)} must be ${issue.expected} for ${issue.model}`;
}

/**
 * The first parameter `model` can't take as given, or undefined: each set parameter must be one
 * the model takes, of its type, within its range (Cloudflare's, from the catalogue).
 *
 * @example
 * paramsIssue(sdxl, { width: 5000 }); // { name: 'width', code: 'invalid_value', expected: 'an integer from 256 to 2048', message: 'width must be an integer from 256 to 2048 for sdxl', ... }
 */
export function paramsIssue(model: ImageModel, params: Omit<GenerationParams, 'image' | 'mask'>): ParamIssue | undefined {
  const taken = model.inputs.map((input) => input.name);
  const sizeIssue = sizesIssue(model, params, taken);
  if (sizeIssue) return sizeIssue;
  for (const { name } of INPUTS) {
    const value = params[name];
    if (value === undefined) continue;
    const spec = model.inputs.find((input) => input.name === name);
    const base = { name, model: model.name, taken };
    if (!spec) return withMessage({ ...base, code: 'not_taken', expected: taken.join(', ') });
    const wrong = withMessage({ ...base, code: 'invalid_value', expected: rangeText(spec) });
    if (spec.type === 'string') {
      if (typeof value !== 'string' || [...value].length < (spec.minLength ?? 0)) return wrong;
      if (spec.values && !spec.values.includes(value)) return wrong;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return wrong;
    if (spec.type === 'integer' && !Number.isInteger(value)) return wrong;
    if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return wrong;
  }
  return undefined;
}

/** A model that draws a few sizes takes width and height together, as one of them. */
function sizesIssue(model: ImageModel, params: Omit<GenerationParams, 'image' | 'mask'>, taken: InputName[]): ParamIssue | undefined {
  const { sizes } = model;
  if (!sizes || (params.width === undefined && params.height === undefined)) return undefined;
  if (sizes.includes(`${String(params.width)}x${String(params.height)}`)) return undefined;
  const name = params.width === undefined ? 'width' : 'height';
  const pairedWith = name === 'width' ? 'height' : 'width';
  return withMessage({
    name,
    pairedWith,
    code: 'invalid_value',
    model: model.name,
    taken,
    expected: `one of the sizes ${sizes.join(', ')}`,
  });
}

const withMessage = (issue: Omit<ParamIssue, 'message'>): ParamIssue => ({ ...issue, message: issueText(issue, (name) => name) });

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
export function workersAiInputs(
  model: Pick<ImageModel, 'inputs'> & { sizes?: readonly string[] | undefined },
  params: GenerationParams,
): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const input of model.inputs) {
    const value = params[input.name];
    if (value !== undefined) fields[input.field] = value;
  }
  // One `size` field for the models that take width and height together (`1024x1536`).
  if (model.sizes && params.width !== undefined && params.height !== undefined) fields.size = `${params.width}x${params.height}`;
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
export function workersAiImages(
  model: Pick<CatalogueModel, 'send' | 'imageInput'>,
  params: GenerationParams,
): Record<string, string | string[] | number[]> {
  const images = inputImageList(params.image);
  const field = model.imageInput?.field;
  if (field) {
    if (images.length === 0) return {};
    const encoded = images.map((image) => (field.dataUrl ? dataUrl(image) : encodeBase64(image)));
    return { [field.name]: field.list ? encoded : encoded[0]! };
  }
  if (model.send === 'multipart') return Object.fromEntries(images.map((image, index) => [`input_image_${index}`, encodeBase64(image)]));
  return {
    ...(images[0] === undefined ? {} : { image_b64: encodeBase64(images[0]) }),
    ...(params.mask === undefined ? {} : { mask: Array.from(params.mask) }),
  };
}

/** An image as a `data:` URL, its type sniffed from its bytes. */
const dataUrl = (image: Uint8Array): string => `data:${sniffImage(image)?.contentType ?? 'image/png'};base64,${encodeBase64(image)}`;
