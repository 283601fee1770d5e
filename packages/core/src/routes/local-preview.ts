import { cloudflareRunRequest } from './cloudflare-requests.js';
import type { ImageRoute } from './route.js';

/**
 * The local preview (`IMAGEGEN_LOCAL_PREVIEW_URL`, set by imagegen when it starts the offline
 * preview workers): Workers AI's REST shape on loopback, every catalogue model drawn offline.
 */
export const localPreviewRoute: ImageRoute = {
  name: 'local',
  label: 'the local preview workers (offline)',
  settings: [{ name: 'IMAGEGEN_LOCAL_PREVIEW_URL', description: 'the offline preview (set by imagegen when it starts it)', url: true }],
  remote: false,
  errorFormat: 'cloudflare',
  seedsEveryCall: true,
  configured: (settings) => Boolean(settings.localPreviewUrl),
  request: ({ model, settings, prompt, params }) =>
    settings.localPreviewUrl
      ? cloudflareRunRequest(
          model,
          {
            base: `${settings.localPreviewUrl}/accounts/local/ai/run/`,
            modelInputUrl: `${settings.localPreviewUrl}/accounts/local/ai/run`,
            route: 'local',
          },
          prompt,
          params,
        )
      : undefined,
  readiness: (settings) => ({ url: settings.localPreviewUrl }),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
};
