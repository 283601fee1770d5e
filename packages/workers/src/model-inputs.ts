import { type CatalogueModel, type GenerationParams, paramsProblem, catalogueImageModel } from '@imagegen/core';

/** A run's input read against the catalogue: the prompt and imagegen's parameters, or why not. */
export type ReadInputs = { prompt: string; params: GenerationParams } | { problem: string };

// Multipart fields arrive as text: numbers are read back as numbers, as Workers AI does.
const asValue = (raw: unknown, type: 'integer' | 'number' | 'string'): unknown => {
  if (type === 'string' || typeof raw !== 'string') return raw;
  return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
};

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
  for (const [field, raw] of Object.entries(fields)) {
    if (field === 'prompt' || raw === undefined) continue;
    const spec = model.inputs.find((input) => input.field === field);
    if (!spec) return { problem: `${model.id} does not take ${field}` };
    params[spec.name] = asValue(raw, spec.type);
  }
  const problem = paramsProblem(catalogueImageModel(model), params);
  return problem ? { problem } : { prompt, params: params };
}
