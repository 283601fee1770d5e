import { type CatalogueModel, catalogueImageModel, defaultModels, type GenerationParams, inputImagesProblem } from '@imagegen/core';
import { decodeBase64, imageSize, paramsProblem } from '@imagegen/core/internal';

/** A run's input read against the catalogue: the prompt and imagegen's parameters, or why not. */
export type ReadInputs = { prompt: string; params: GenerationParams } | { problem: string };

// Multipart fields arrive as text: numbers are read back as numbers, as Workers AI does.
const asValue = (raw: unknown, type: 'integer' | 'number' | 'string'): unknown => {
  if (type === 'string' || typeof raw !== 'string') return raw;
  return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
};

/** An image field as Workers AI takes it: base64 text, an array of byte values, or a file part's bytes. */
function imageBytes(raw: unknown): Uint8Array | undefined {
  if (raw instanceof Uint8Array) return raw;
  if (typeof raw === 'string') return decodeBase64(raw);
  if (Array.isArray(raw) && raw.every((value) => Number.isInteger(value) && value >= 0 && value <= 255))
    return Uint8Array.from(raw as number[]);
  return undefined;
}

const IMAGE_FIELDS: Readonly<Record<string, 'image' | 'mask'>> = { image_b64: 'image', image: 'image', mask: 'mask' };
// FLUX.2's reference images: input_image_0 to input_image_3, in that order.
const REFERENCE_FIELD = /^input_image_([0-3])$/;

/** Why a reference image is over the model's largest side (FLUX.2 takes 512x512 at most), or undefined. */
function oversize(model: CatalogueModel, images: readonly Uint8Array[]): string | undefined {
  const most = model.imageInput?.maxSide;
  for (const [index, image] of images.entries()) {
    const size = imageSize(image);
    if (most !== undefined && size && (size.width > most || size.height > most)) {
      return `input_image_${index} is ${size.width}x${size.height}: at most ${most}x${most}`;
    }
  }
  return undefined;
}

/**
 * Reads a Workers AI input (JSON fields, or a multipart form's) by the model's catalogue entry:
 * the prompt, each known field under imagegen's name, checked for type and range; an unknown
 * field is refused, as the real schemas do.
 *
 * @example
 * readModelInputs(lucidOrigin, { prompt: 'a fox', num_steps: 20 }); // { prompt: 'a fox', params: { steps: 20 } }
 */
export function readModelInputs(model: CatalogueModel, fields: Record<string, unknown>): ReadInputs {
  const { prompt } = fields;
  if (typeof prompt !== 'string' || prompt.trim() === '') return { problem: 'prompt is required and must be a non-empty string' };
  if ([...prompt].length > model.maxPromptLength) return { problem: `prompt is longer than ${model.maxPromptLength} characters` };
  const params: Record<string, unknown> = {};
  const references: Uint8Array[] = [];
  for (const [field, raw] of Object.entries(fields)) {
    if (field === 'prompt' || raw === undefined) continue;
    const reference = model.send === 'multipart' && model.imageInput ? REFERENCE_FIELD.exec(field) : null;
    if (reference) {
      const bytes = imageBytes(raw);
      if (!bytes) return { problem: `${field} must be an image file (or base64 text)` };
      references[Number(reference[1])] = bytes;
      continue;
    }
    const imageField = model.imageInput && model.send === 'json' ? IMAGE_FIELDS[field] : undefined;
    if (imageField) {
      const bytes = imageBytes(raw);
      if (!bytes) return { problem: `${field} must be base64 text or an array of byte values` };
      params[imageField] = bytes;
      continue;
    }
    // A partner model's images: one base64 text or a list of them (data URLs taken too).
    if (model.imageInput?.field?.name === field) {
      const list = (Array.isArray(raw) ? raw : [raw]).map((item) =>
        typeof item === 'string' ? imageBytes(item.replace(/^data:[^,]*,/, '')) : undefined,
      );
      if (list.some((bytes) => bytes === undefined)) return { problem: `${field} must hold base64 images` };
      params.image = list;
      continue;
    }
    // Width and height as one `size` (`1024x1536`), for the models that take them so.
    if (model.sizes && field === 'size') {
      const [width, height] = (typeof raw === 'string' ? raw : '').split('x').map(Number);
      Object.assign(params, { width, height });
      continue;
    }
    const spec = model.inputs.find((input) => input.field === field);
    if (!spec) return { problem: `${model.id} does not take ${field}` };
    params[spec.name] = asValue(raw, spec.type);
  }
  if (references.length > 0) {
    if ([...references].some((image) => image === undefined)) {
      return { problem: 'input images must be numbered from input_image_0 without a gap' };
    }
    params.image = references;
  }
  // The built-in model of this entry: made once, not per request.
  const imageModel = defaultModels[model.alias] ?? catalogueImageModel(model);
  const problem = paramsProblem(imageModel, params) ?? inputImagesProblem(imageModel, params) ?? oversize(model, references);
  return problem ? { problem } : { prompt, params: params };
}
