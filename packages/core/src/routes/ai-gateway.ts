import { cloudflareRunRequest } from './cloudflare-requests.js';
import type { ImageRoute } from './route.js';

/**
 * Workers AI through AI Gateway (`CLOUDFLARE_AI_GATEWAY` with the account and token), its
 * per-call options (cache, metadata, timeout) when asked, by one of Cloudflare's two endpoints:
 * `gateway` (the default) `POST {gateway base}/{account}/{gateway}/workers-ai/{model id}`
 * (https://developers.cloudflare.com/ai-gateway/usage/providers/workersai/), or `api`, the AI
 * REST API on api.cloudflare.com, `POST {api base}/accounts/{account}/ai/run/{model id}` with
 * `cf-aig-gateway-id` (https://developers.cloudflare.com/changelog/post/2026-05-21-rest-api/).
 */
export const aiGatewayRoute: ImageRoute = {
  name: 'ai-gateway',
  label: 'AI Gateway',
  settings: [
    { name: 'CLOUDFLARE_AI_GATEWAY', description: 'an AI Gateway id: Workers AI calls go through it' },
    { name: 'CLOUDFLARE_AI_GATEWAY_TOKEN', description: "an authenticated gateway's token (cf-aig-authorization)", secret: true },
    { name: 'CLOUDFLARE_AI_GATEWAY_BASE_URL', description: "AI Gateway's base URL", url: true },
    {
      name: 'CLOUDFLARE_AI_GATEWAY_ENDPOINT',
      description: "gateway (gateway.ai.cloudflare.com) or api (api.cloudflare.com's /ai/run with cf-aig-gateway-id)",
      choices: ['gateway', 'api'],
    },
  ],
  errorFormat: 'cloudflare',
  takesCacheOptions: true,
  seedsEveryCall: true,
  configured: (settings) => Boolean(settings.aiGateway && settings.accountId && settings.apiToken),
  request({ model, settings, prompt, params, cache }) {
    const { accountId, apiToken, aiGateway, aiGatewayToken } = settings;
    if (!accountId || !apiToken || !aiGateway) return undefined;
    // The partner models are reached only by the AI REST API: it always goes that way for them.
    const viaApi = settings.values.CLOUDFLARE_AI_GATEWAY_ENDPOINT === 'api' || model.send === 'model-input';
    const account = encodeURIComponent(accountId);
    const base = viaApi
      ? `${settings.apiBaseUrl}/accounts/${account}/ai/run/`
      : `${settings.aiGatewayBaseUrl}/${account}/${encodeURIComponent(aiGateway)}/workers-ai/`;
    const target = {
      base,
      token: apiToken,
      ...(aiGatewayToken ? { gatewayToken: aiGatewayToken } : {}),
      ...(viaApi ? { gatewayId: aiGateway } : {}),
      modelInputUrl: `${settings.apiBaseUrl}/accounts/${account}/ai/run`,
      route: 'ai-gateway',
    };
    return cloudflareRunRequest(model, target, prompt, params, cache);
  },
  readiness: () => ({}),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
  describe: (settings) =>
    settings.values.CLOUDFLARE_AI_GATEWAY_ENDPOINT === 'api'
      ? `Workers AI through AI Gateway ${settings.aiGateway ?? ''} (cf-aig-gateway-id on ${settings.apiBaseUrl})`
      : `Workers AI through AI Gateway ${settings.aiGateway ?? ''} (${settings.aiGatewayBaseUrl})`,
};
