import { cloudflareRunRequest } from './cloudflare-requests.js';
import type { ImageRoute } from './route.js';

/**
 * Workers AI through AI Gateway (`CLOUDFLARE_AI_GATEWAY` with the account and token):
 * `POST {base}/{account}/{gateway}/workers-ai/{model id}`, its cache options when asked.
 * https://developers.cloudflare.com/ai-gateway/usage/providers/workersai/
 */
export const aiGatewayRoute: ImageRoute = {
  name: 'ai-gateway',
  label: 'AI Gateway',
  settings: [
    { name: 'CLOUDFLARE_AI_GATEWAY', description: 'an AI Gateway id: Workers AI calls go through it' },
    { name: 'CLOUDFLARE_AI_GATEWAY_TOKEN', description: "an authenticated gateway's token (cf-aig-authorization)", secret: true },
    { name: 'CLOUDFLARE_AI_GATEWAY_BASE_URL', description: "AI Gateway's base URL", url: true },
  ],
  errorFormat: 'cloudflare',
  takesCacheOptions: true,
  seedsEveryCall: true,
  configured: (settings) => Boolean(settings.aiGateway && settings.accountId && settings.apiToken),
  request({ model, settings, prompt, params, cache }) {
    const { accountId, apiToken, aiGateway, aiGatewayToken } = settings;
    if (!accountId || !apiToken || !aiGateway) return undefined;
    const base = `${settings.aiGatewayBaseUrl}/${encodeURIComponent(accountId)}/${encodeURIComponent(aiGateway)}/workers-ai/`;
    const target = { base, token: apiToken, ...(aiGatewayToken ? { gatewayToken: aiGatewayToken } : {}), route: 'ai-gateway' };
    return cloudflareRunRequest(model, target, prompt, params, cache);
  },
  readiness: () => ({}),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
  describe: (settings) => `Workers AI through AI Gateway ${settings.aiGateway ?? ''} (${settings.aiGatewayBaseUrl})`,
};
