import type { CatalogueModel } from '../catalogue/model-spec.js';
import { chooseRoute } from '../routes/route-choice.js';
import type { ImageModel } from './model.js';

/**
 * The {@link ImageModel} of a catalogue entry: its inputs, and its request by the first
 * configured route. Every key and token of the settings is a secret of every model.
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
    ...(entry.imageInput ? { imageInput: entry.imageInput } : {}),
    buildRequest(settings, prompt, params, cache = {}) {
      const request = chooseRoute(entry, settings, prompt, params, cache);
      const wantsCache = cache.cacheTtl !== undefined || cache.skipCache === true;
      if ('route' in request && wantsCache && request.route !== 'ai-gateway') {
        return { refused: `cacheTtl and skipCache need the AI Gateway route (CLOUDFLARE_AI_GATEWAY); this call goes by ${request.route}` };
      }
      return request;
    },
    secrets: (settings) =>
      [settings.sdxlApiKey, settings.workerKey, settings.apiToken, settings.aiGatewayToken].filter((secret): secret is string =>
        Boolean(secret),
      ),
  };
}
