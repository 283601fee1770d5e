import { type CatalogueModel, schemaTakesSeed } from '../catalogue/model-spec.js';
import type { CacheOptions, GenerationParams, ModelNotConfigured, ModelRequest, ModelRequestRefused } from '../models/model.js';
import type { Settings } from '../settings.js';
import { wantsGatewayOptions } from '../gateway-options.js';
import { randomSeed } from './random-seed.js';
import { routeRegistry } from './registry.js';

// What a call says when the original workers' models have no route: their words, kept.
const originalNotConfigured: Readonly<Record<string, string>> = {
  flux: 'Flux worker URL not configured (FLUX_WORKER_URL)',
  sdxl: 'SDXL worker URL not configured (SDXL_WORKER_URL)',
};

/**
 * The request for one call by the first configured route of the {@link routeRegistry} that
 * serves it (or by `only`, when named), or what is missing when none does. A route that seeds
 * every call sends the caller's seed or, when the model's schema lists a seed, a random one,
 * returned in the request so that the image can be made again.
 *
 * @example
 * chooseRoute(lucidOrigin, loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'a', CLOUDFLARE_API_TOKEN: 'a-token-of-40-characters' }), 'a fox', {}).route; // 'rest'
 */
export function chooseRoute(
  model: CatalogueModel,
  settings: Settings,
  prompt: string,
  params: GenerationParams,
  cache: CacheOptions = {},
  only?: string,
): ModelRequest | ModelNotConfigured | ModelRequestRefused {
  if (only !== undefined && !routeRegistry.get(only)) return { refused: `unknown route '${only}' (known: ${routeNames()})` };
  const candidates = routeRegistry.configured(settings).filter((route) => only === undefined || route.name === only);
  // A seed of imagegen's own only where the model's schema lists one (flux-1-schnell's does not).
  const seeded = schemaTakesSeed(model) ? { ...params, seed: params.seed ?? randomSeed() } : params;
  for (const [index, route] of candidates.entries()) {
    const request = route.request({
      model,
      settings,
      prompt,
      params: route.seedsEveryCall ? seeded : params,
      cache,
      laterRoute: index < candidates.length - 1,
    });
    if (request === undefined) continue;
    if (!('route' in request)) return request;
    if (wantsGatewayOptions(cache) && !route.takesCacheOptions) {
      return {
        refused: `AI Gateway's options (cacheTtl, skipCache, cacheKey, metadata, requestTimeoutMs) need the AI Gateway route (CLOUDFLARE_AI_GATEWAY); this call goes by ${request.route}`,
      };
    }
    const seed = route.seedsEveryCall ? seeded.seed : request.seed;
    const offSchema = model.inputs
      .filter((input) => input.inSchema === false && params[input.name] !== undefined)
      .map((input) => input.field);
    return {
      ...request,
      errorFormat: route.errorFormat,
      ...(seed === undefined ? {} : { seed }),
      ...(offSchema.length > 0 ? { offSchema } : {}),
    };
  }
  if (only !== undefined) return { notConfigured: `the ${only} route is not configured for ${model.alias}` };
  if (model.send === 'model-input') {
    return {
      notConfigured: `${model.alias} is a partner model, reached by the Workers AI REST API or AI Gateway: set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN`,
    };
  }
  return {
    notConfigured:
      originalNotConfigured[model.alias] ??
      `${model.alias} has no route configured: set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (the Workers AI REST API) or IMAGEGEN_WORKER_URL (your imagegen worker)`,
  };
}

const routeNames = (): string =>
  routeRegistry
    .list()
    .map((route) => route.name)
    .join(', ');
