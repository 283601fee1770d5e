import type { CatalogueModel } from '../catalogue/model-spec.js';
import type { CacheOptions, GenerationParams, ModelRequest, Route } from '../models/model.js';
import { gatewayHeaders, workersAiImages, workersAiInputs } from '../params.js';
import { workersAiForm } from './workers-ai-form.js';

/** The input of one Workers AI run: JSON, or multipart/form-data for the models that take only that. */
function runBody(model: CatalogueModel, prompt: string, params: GenerationParams): Pick<ModelRequest, 'body' | 'headers'> {
  if (model.send === 'json') {
    const fields = { prompt, ...workersAiInputs(model, params), ...workersAiImages(model, params) };
    return { body: JSON.stringify(fields), headers: { 'content-type': 'application/json' } };
  }
  // No content-type header: the transport sets multipart/form-data with the form's boundary.
  return { body: workersAiForm(model, prompt, params), headers: {} };
}

/** What a Cloudflare-shaped request needs: where, with which token, by which route. */
export interface CloudflareTarget {
  /** The URL the model id is appended to (`.../ai/run/`, `.../workers-ai/`). */
  base: string;
  token?: string;
  /** An authenticated AI Gateway's own token (`cf-aig-authorization`). */
  gatewayToken?: string;
  /** The gateway to go through on api.cloudflare.com's AI REST API (`cf-aig-gateway-id`). */
  gatewayId?: string;
  route: Route;
}

/**
 * A Workers AI run over the REST API, AI Gateway or the local preview: `POST <base><model id>`,
 * Bearer token, the model's body; AI Gateway's headers (cache, metadata, timeout, gateway id) when asked for.
 *
 * @example
 * cloudflareRunRequest(lucidOrigin, { base: 'https://api.cloudflare.com/client/v4/accounts/abc/ai/run/', token: 't', route: 'rest' }, 'a fox', {});
 */
export function cloudflareRunRequest(
  model: CatalogueModel,
  target: CloudflareTarget,
  prompt: string,
  params: GenerationParams,
  cache: CacheOptions = {},
): ModelRequest {
  const { body, headers } = runBody(model, prompt, params);
  return {
    // The id's slashes are path segments, as Cloudflare's own examples write them.
    url: `${target.base}${model.id}`,
    method: 'POST',
    headers: {
      ...headers,
      ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      ...(target.gatewayToken ? { 'cf-aig-authorization': `Bearer ${target.gatewayToken}` } : {}),
      ...(target.gatewayId ? { 'cf-aig-gateway-id': target.gatewayId } : {}),
      ...gatewayHeaders(cache),
    },
    ...(body === undefined ? {} : { body }),
    route: target.route,
  };
}
