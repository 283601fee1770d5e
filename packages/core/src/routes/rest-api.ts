import { cloudflareRunRequest } from './cloudflare-requests.js';
import type { ImageRoute } from './route.js';

/**
 * The Workers AI REST API (`CLOUDFLARE_ACCOUNT_ID` and `CLOUDFLARE_API_TOKEN`):
 * `POST {base}/accounts/{account}/ai/run/{model id}` with the token as Bearer; the partner models
 * `POST {base}/accounts/{account}/ai/run` with `{ model, input }`
 * (https://developers.cloudflare.com/ai/models/openai/gpt-image-2/).
 * https://developers.cloudflare.com/workers-ai/get-started/rest-api/
 */
export const restApiRoute: ImageRoute = {
  name: 'rest',
  label: 'the Workers AI REST API',
  settings: [
    { name: 'CLOUDFLARE_ACCOUNT_ID', description: 'the Cloudflare account that runs Workers AI' },
    { name: 'CLOUDFLARE_API_TOKEN', description: 'an API token allowed to run Workers AI', secret: true },
    { name: 'CLOUDFLARE_API_BASE_URL', description: 'the Cloudflare API base URL', url: true },
  ],
  errorFormat: 'cloudflare',
  seedsEveryCall: true,
  // With an AI Gateway named, every Workers AI call goes through it instead.
  configured: (settings) => Boolean(settings.accountId && settings.apiToken && !settings.aiGateway),
  request({ model, settings, prompt, params }) {
    const { accountId, apiToken } = settings;
    if (!accountId || !apiToken) return undefined;
    const run = `${settings.apiBaseUrl}/accounts/${encodeURIComponent(accountId)}/ai/run`;
    return cloudflareRunRequest(model, { base: `${run}/`, modelInputUrl: run, token: apiToken, route: 'rest' }, prompt, params);
  },
  readiness: () => ({}),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
  describe: (settings) => `the Workers AI REST API (${settings.apiBaseUrl})`,
};
