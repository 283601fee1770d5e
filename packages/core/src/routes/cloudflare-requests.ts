import type { CatalogueModel } from '../catalogue/model-spec.js';
import type { CacheOptions, GenerationParams, ModelRequest, Route } from '../models/model.js';
import { gatewayHeaders } from '../gateway-options.js';
import { workersAiImages, workersAiInputs } from '../params.js';
import { workersAiForm } from './workers-ai-form.js';

/**
 * The input of one Workers AI run, as the model takes it: a multipart form (FLUX.2), or its JSON
 * fields (a partner model's go in `{ model, input }` over HTTP; the binding takes them as they are).
 *
 * @example
 * runInput(lucidOrigin, 'a fox', { steps: 20 }); // { prompt: 'a fox', num_steps: 20 }
 */
export function runInput(model: CatalogueModel, prompt: string, params: GenerationParams): Record<string, unknown> | FormData {
  if (model.send === 'multipart') return workersAiForm(model, prompt, params);
  return { prompt, ...workersAiInputs(model, params), ...workersAiImages(model, params) };
}

/** The HTTP body of one run: JSON, multipart/form-data (FLUX.2), or `{ model, input }` (partner models). */
function runBody(model: CatalogueModel, prompt: string, params: GenerationParams): Pick<ModelRequest, 'body' | 'headers'> {
  const input = runInput(model, prompt, params);
  // No content-type header for a form: the transport sets multipart/form-data with its boundary.
  if (input instanceof FormData) return { body: input, headers: {} };
  const body = model.send === 'model-input' ? { model: model.id, input } : input;
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

/** What a Cloudflare-shaped request needs: where, with which token, by which route. */
export interface CloudflareTarget {
  /** The URL the model id is appended to (`.../ai/run/`, `.../workers-ai/`). */
  base: string;
  /** Where the partner models' `{ model, input }` goes (`.../accounts/{id}/ai/run`), when the route reaches them. */
  modelInputUrl?: string;
  token?: string;
  /** An authenticated AI Gateway's own token (`cf-aig-authorization`). */
  gatewayToken?: string;
  /** The gateway to go through on api.cloudflare.com's AI REST API (`cf-aig-gateway-id`). */
  gatewayId?: string;
  route: Route;
}

/**
 * A Workers AI run over the REST API, AI Gateway or the local preview: `POST <base><model id>`
 * (a partner model: `POST <modelInputUrl>` with `{ model, input }`, or undefined where the route has none),
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
): ModelRequest | undefined {
  if (model.send === 'model-input' && !target.modelInputUrl) return undefined;
  const { body, headers } = runBody(model, prompt, params);
  return {
    // The id's slashes are path segments, as Cloudflare's own examples write them.
    url: model.send === 'model-input' ? target.modelInputUrl! : `${target.base}${model.id}`,
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
    ...(model.answer.encoding === 'url' ? { answersUrl: true } : {}),
  };
}
