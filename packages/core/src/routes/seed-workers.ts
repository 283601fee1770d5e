import { workersAiInputs } from '../params.js';
import type { GenerationParams, ImageModel, ModelRequest } from '../models/model.js';

// The seed's two workers keep their protocol exactly: Flux `GET ?prompt=` (plus `steps` and
// `seed` when the caller gives them), SDXL `POST` JSON with a Bearer key.

/**
 * The seed's Flux worker request: `GET <url>?prompt=<encoded>`, with `steps` and `seed` added
 * when set.
 *
 * @example
 * fluxWorkerRequest('https://flux.example.workers.dev', 'a cat', {}).url; // 'https://flux.example.workers.dev/?prompt=a%20cat'
 */
export function fluxWorkerRequest(workerUrl: string, prompt: string, params: GenerationParams): ModelRequest {
  const url = new URL(workerUrl);
  // encodeURIComponent, not URLSearchParams: the reference sends spaces as %20, not '+'.
  const query = [
    `prompt=${encodeURIComponent(prompt)}`,
    ...(params.steps === undefined ? [] : [`steps=${params.steps}`]),
    ...(params.seed === undefined ? [] : [`seed=${params.seed}`]),
  ];
  url.search = url.search ? `${url.search}&${query.join('&')}` : `?${query.join('&')}`;
  return { url: url.toString(), method: 'GET', route: 'worker', ...(params.seed === undefined ? {} : { seed: params.seed }) };
}

/**
 * The seed's SDXL worker request: `POST <url>` with JSON `{ prompt, negative_prompt?, width?,
 * height?, num_steps?, guidance?, seed? }` and `Authorization: Bearer <key>`.
 *
 * @example
 * sdxlWorkerRequest(sdxl, 'https://sdxl.example.workers.dev', 'key', 'a lighthouse', { width: 768 }).body; // '{"prompt":"a lighthouse","width":768}'
 */
export function sdxlWorkerRequest(
  model: Pick<ImageModel, 'inputs'>,
  workerUrl: string,
  apiKey: string,
  prompt: string,
  params: GenerationParams,
): ModelRequest {
  return {
    url: workerUrl,
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, ...workersAiInputs(model, params) }),
    route: 'worker',
    ...(params.seed === undefined ? {} : { seed: params.seed }),
    // The seed's SDXL worker answered these in its own words.
    messages: { unauthorized: 'SDXL API key invalid or missing', method_not_allowed: 'Invalid request method' },
  };
}
