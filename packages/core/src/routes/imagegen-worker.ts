import type { CatalogueModel } from '../catalogue/model-spec.js';
import type { GenerationParams, ModelRequest } from '../models/model.js';
import { workersAiImages, workersAiInputs } from '../params.js';
import type { ImageRoute } from './route.js';

/**
 * The imagegen worker's request: `POST <url>` JSON `{ model, prompt, ...inputs }` with the worker
 * key as a Bearer token when one is set.
 *
 * @example
 * genericWorkerRequest(phoenix, 'https://imagegen.example.workers.dev', 'key', 'a fox', { steps: 20 });
 */
function genericWorkerRequest(
  model: CatalogueModel,
  workerUrl: string,
  workerKey: string | undefined,
  prompt: string,
  params: GenerationParams,
): ModelRequest {
  return {
    url: workerUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(workerKey ? { authorization: `Bearer ${workerKey}` } : {}) },
    body: JSON.stringify({ model: model.id, prompt, ...workersAiInputs(model, params), ...workersAiImages(model, params) }),
    route: 'worker',
    messages: { unauthorized: 'The imagegen worker refused the key (IMAGEGEN_WORKER_KEY must equal its API_KEY secret)' },
  };
}

/** Your imagegen worker (`IMAGEGEN_WORKER_URL`, `@imagegen/workers`' generic worker): every catalogue model. */
export const imagegenWorkerRoute: ImageRoute = {
  name: 'worker',
  label: 'your imagegen worker',
  settings: [
    { name: 'IMAGEGEN_WORKER_URL', description: 'your imagegen worker (any catalogue model)', url: true },
    { name: 'IMAGEGEN_WORKER_KEY', description: "your imagegen worker's API_KEY secret", secret: true },
  ],
  remote: true,
  errorFormat: 'worker',
  seedsEveryCall: true,
  configured: (settings) => Boolean(settings.workerUrl),
  request: ({ model, settings, prompt, params }) =>
    settings.workerUrl ? genericWorkerRequest(model, settings.workerUrl, settings.workerKey, prompt, params) : undefined,
  readiness: (settings) => ({ url: settings.workerUrl }),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
};
