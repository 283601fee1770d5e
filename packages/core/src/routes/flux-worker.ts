import type { GenerationParams, ModelRequest } from '../models/model.js';
import type { ImageRoute } from './route.js';

/**
 * The Flux worker's request: `GET <url>?prompt=<encoded>`, with `steps` and `seed` added when
 * set. The protocol of the original Flux worker, kept exactly.
 *
 * @example
 * fluxWorkerRequest('https://flux.example.workers.dev', 'a cat', {}).url; // 'https://flux.example.workers.dev/?prompt=a%20cat'
 */
function fluxWorkerRequest(workerUrl: string, prompt: string, params: GenerationParams): ModelRequest {
  const url = new URL(workerUrl);
  // encodeURIComponent, not URLSearchParams: the Flux worker has always been sent spaces as %20, not '+'.
  const query = [
    `prompt=${encodeURIComponent(prompt)}`,
    ...(params.steps === undefined ? [] : [`steps=${params.steps}`]),
    ...(params.seed === undefined ? [] : [`seed=${params.seed}`]),
  ];
  url.search = url.search ? `${url.search}&${query.join('&')}` : `?${query.join('&')}`;
  return { url: url.toString(), method: 'GET', route: 'worker', ...(params.seed === undefined ? {} : { seed: params.seed }) };
}

/** The Flux worker (`FLUX_WORKER_URL`): serves `flux` only, first of all routes. */
export const fluxWorkerRoute: ImageRoute = {
  name: 'flux-worker',
  label: 'the Flux worker',
  settings: [{ name: 'FLUX_WORKER_URL', description: 'the Flux worker (GET ?prompt=)', url: true }],
  errorFormat: 'worker',
  configured: (settings) => Boolean(settings.fluxWorkerUrl),
  request: ({ model, settings, prompt, params }) =>
    model.alias === 'flux' && settings.fluxWorkerUrl ? fluxWorkerRequest(settings.fluxWorkerUrl, prompt, params) : undefined,
  readiness: (settings) => ({ url: settings.fluxWorkerUrl }),
  probe: { model: 'flux' },
};
