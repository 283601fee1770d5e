import type { ImageModel } from './model.js';

/**
 * Flux (`@cf/black-forest-labs/flux-1-schnell`): `GET <url>?prompt=<encoded>`, with `steps` and
 * `seed` added when set.
 */
export const flux: ImageModel = {
  name: 'flux',
  workersAiName: '@cf/black-forest-labs/flux-1-schnell',
  params: ['seed', 'steps'],
  buildRequest(settings, prompt, params) {
    if (!settings.fluxWorkerUrl) return { notConfigured: 'Flux worker URL not configured (FLUX_WORKER_URL)' };
    const url = new URL(settings.fluxWorkerUrl);
    // encodeURIComponent, not URLSearchParams: the reference sends spaces as %20, not '+'.
    const query = [
      `prompt=${encodeURIComponent(prompt)}`,
      ...(params.steps === undefined ? [] : [`steps=${params.steps}`]),
      ...(params.seed === undefined ? [] : [`seed=${params.seed}`]),
    ];
    url.search = url.search ? `${url.search}&${query.join('&')}` : `?${query.join('&')}`;
    return { url: url.toString(), method: 'GET' };
  },
};
