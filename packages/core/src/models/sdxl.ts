import type { ImageModel } from './model.js';

/**
 * SDXL (`@cf/stabilityai/stable-diffusion-xl-base-1.0`): `POST <url>` with JSON
 * `{ prompt, negative_prompt?, width?, height?, num_steps?, seed? }` and `Authorization: Bearer <key>`.
 */
export const sdxl: ImageModel = {
  name: 'sdxl',
  workersAiName: '@cf/stabilityai/stable-diffusion-xl-base-1.0',
  params: ['seed', 'width', 'height', 'steps', 'negativePrompt'],
  buildRequest(settings, prompt, params) {
    if (!settings.sdxlWorkerUrl) return { notConfigured: 'SDXL worker URL not configured (SDXL_WORKER_URL)' };
    if (!settings.sdxlApiKey) return { notConfigured: 'SDXL API key not configured' };
    return {
      url: settings.sdxlWorkerUrl,
      method: 'POST',
      headers: { authorization: `Bearer ${settings.sdxlApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt,
        ...(params.negativePrompt === undefined ? {} : { negative_prompt: params.negativePrompt }),
        ...(params.width === undefined ? {} : { width: params.width }),
        ...(params.height === undefined ? {} : { height: params.height }),
        ...(params.steps === undefined ? {} : { num_steps: params.steps }),
        ...(params.seed === undefined ? {} : { seed: params.seed }),
      }),
    };
  },
  messages: {
    unauthorized: 'SDXL API key invalid or missing',
    method_not_allowed: 'Invalid request method',
  },
  secrets: (settings) => (settings.sdxlApiKey ? [settings.sdxlApiKey] : []),
};
