import { workersAiInputs } from '../params.js';
import { type ImageRoute, workerSettings } from './route.js';

/**
 * The SDXL worker (`SDXL_WORKER_URL` with `SDXL_API_KEY`): serves `sdxl` only, as `POST <url>`
 * JSON `{ prompt, negative_prompt?, width?, height?, num_steps?, guidance?, seed? }` with
 * `Authorization: Bearer <key>`. It predates input
 * images: such a call goes by the next configured route, or is refused, never sent with the image
 * silently dropped.
 */
export const sdxlWorkerRoute: ImageRoute = {
  name: 'sdxl-worker',
  label: 'the SDXL worker',
  settings: workerSettings('SDXL_WORKER_URL', 'SDXL_API_KEY', 'the SDXL worker'),
  errorFormat: 'worker',
  configured: (settings) => Boolean(settings.sdxlWorkerUrl),
  request({ model, settings, prompt, params, laterRoute }) {
    if (model.alias !== 'sdxl' || !settings.sdxlWorkerUrl) return undefined;
    const imageCall = params.image !== undefined || params.strength !== undefined;
    if (imageCall && laterRoute) return undefined;
    if (!settings.sdxlApiKey) return { notConfigured: 'SDXL API key not configured' };
    if (imageCall) {
      return {
        refused: 'the SDXL worker (SDXL_WORKER_URL) takes no input image or strength: use IMAGEGEN_WORKER_URL or the Workers AI REST API',
      };
    }
    return {
      url: settings.sdxlWorkerUrl,
      method: 'POST',
      headers: { authorization: `Bearer ${settings.sdxlApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt, ...workersAiInputs(model, params) }),
      route: 'worker',
      ...(params.seed === undefined ? {} : { seed: params.seed }),
      // The SDXL worker's own words for these, kept as it said them.
      messages: { unauthorized: 'SDXL API key invalid or missing', method_not_allowed: 'Invalid request method' },
    };
  },
  readiness: (settings) =>
    settings.sdxlApiKey ? { url: settings.sdxlWorkerUrl } : { url: settings.sdxlWorkerUrl, problem: 'SDXL_API_KEY is not set' },
  probe: { model: 'sdxl' },
};
