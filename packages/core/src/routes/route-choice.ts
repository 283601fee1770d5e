import type { CatalogueModel } from '../catalogue/model-spec.js';
import type { CacheOptions, GenerationParams, ModelNotConfigured, ModelRequest, ModelRequestRefused } from '../models/model.js';
import type { Settings } from '../settings.js';
import { cloudflareRunRequest, genericWorkerRequest } from './cloudflare-requests.js';
import { randomSeed } from './random-seed.js';
import { fluxWorkerRequest, sdxlWorkerRequest } from './seed-workers.js';

// What the seed said when its worker was missing: kept for the two models it knew.
const seedNotConfigured: Readonly<Record<string, string>> = {
  flux: 'Flux worker URL not configured (FLUX_WORKER_URL)',
  sdxl: 'SDXL worker URL not configured (SDXL_WORKER_URL)',
};

/**
 * The request for one call by the first route configured, in this order: the seed's worker of
 * this model, the generic imagegen worker, AI Gateway or the Workers AI REST API (account and
 * token), the local preview. What is missing when none is. Past the seed's workers (whose
 * protocol stays as it was) a model that takes a seed always gets one: the caller's or a random
 * one, returned in the request so that the image can be made again.
 *
 * @example
 * chooseRoute(lucidOrigin, loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'a', CLOUDFLARE_API_TOKEN: 't' }), 'a fox', {}).route; // 'rest'
 */
export function chooseRoute(
  model: CatalogueModel,
  settings: Settings,
  prompt: string,
  params: GenerationParams,
  cache?: CacheOptions,
): ModelRequest | ModelNotConfigured | ModelRequestRefused {
  if (model.alias === 'flux' && settings.fluxWorkerUrl) return fluxWorkerRequest(settings.fluxWorkerUrl, prompt, params);
  // The seed's SDXL worker predates input images: such a call goes by the next route there is,
  // or is refused, never sent with the image silently dropped.
  const imageCall = params.image !== undefined || params.strength !== undefined;
  const elsewhere = Boolean(settings.workerUrl || settings.accountId || settings.localPreviewUrl);
  if (model.alias === 'sdxl' && settings.sdxlWorkerUrl && !(imageCall && elsewhere)) {
    if (!settings.sdxlApiKey) return { notConfigured: 'SDXL API key not configured' };
    if (imageCall) {
      return {
        refused: 'the SDXL worker (SDXL_WORKER_URL) takes no input image or strength: use IMAGEGEN_WORKER_URL or the Workers AI REST API',
      };
    }
    return sdxlWorkerRequest(model, settings.sdxlWorkerUrl, settings.sdxlApiKey, prompt, params);
  }
  const takesSeed = model.inputs.some((input) => input.name === 'seed');
  const seeded = takesSeed ? { ...params, seed: params.seed ?? randomSeed() } : params;
  const withSeed = (request: ModelRequest): ModelRequest => (seeded.seed === undefined ? request : { ...request, seed: seeded.seed });
  if (settings.workerUrl) return withSeed(genericWorkerRequest(model, settings.workerUrl, settings.workerKey, prompt, seeded));
  const { accountId, apiToken } = settings;
  if (accountId && apiToken) {
    const account = encodeURIComponent(accountId);
    const target = settings.aiGateway
      ? {
          base: `${settings.aiGatewayBaseUrl}/${account}/${encodeURIComponent(settings.aiGateway)}/workers-ai/`,
          token: apiToken,
          ...(settings.aiGatewayToken ? { gatewayToken: settings.aiGatewayToken } : {}),
          route: 'ai-gateway' as const,
        }
      : { base: `${settings.apiBaseUrl}/accounts/${account}/ai/run/`, token: apiToken, route: 'rest' as const };
    return withSeed(cloudflareRunRequest(model, target, prompt, seeded, cache));
  }
  if (settings.localPreviewUrl) {
    const target = { base: `${settings.localPreviewUrl}/accounts/local/ai/run/`, route: 'local' as const };
    return withSeed(cloudflareRunRequest(model, target, prompt, seeded));
  }
  return {
    notConfigured:
      seedNotConfigured[model.alias] ??
      `${model.alias} has no route configured: set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN (the Workers AI REST API) or IMAGEGEN_WORKER_URL (your imagegen worker)`,
  };
}
