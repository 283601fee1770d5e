import type { CatalogueModel } from '../catalogue/model-spec.js';
import { chooseRoute } from '../routes/route-choice.js';
import type { ImageModel } from './model.js';

/**
 * The {@link ImageModel} of a catalogue entry: its inputs, and its request by the first
 * configured route of the route registry (whose secrets are redacted for every model).
 *
 * @example
 * const model = catalogueImageModel(findModel('phoenix')!);
 * model.buildRequest(settings, 'a fox', { steps: 20 });
 */
export function catalogueImageModel(entry: CatalogueModel): ImageModel {
  return {
    name: entry.alias,
    workersAiName: entry.id,
    inputs: entry.inputs,
    maxPromptLength: entry.maxPromptLength,
    ...(entry.imageInput ? { imageInput: entry.imageInput } : {}),
    ...(entry.sizes ? { sizes: entry.sizes } : {}),
    buildRequest: (settings, prompt, params, cache = {}, route) => chooseRoute(entry, settings, prompt, params, cache, route),
  };
}
