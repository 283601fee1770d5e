import { workersAiImages, workersAiInputs } from '../params.js';
import { type ImageRoute, workerSettings } from './route.js';

/**
 * Your imagegen worker (`IMAGEGEN_WORKER_URL`, `@imagegen/workers`' generic worker): every
 * catalogue model, as `POST <url>` JSON `{ model, prompt, ...inputs }` with the worker key as a
 * Bearer token when one is set.
 */
export const imagegenWorkerRoute: ImageRoute = {
  name: 'worker',
  label: 'your imagegen worker',
  settings: workerSettings('IMAGEGEN_WORKER_URL', 'IMAGEGEN_WORKER_KEY', 'your imagegen worker'),
  errorFormat: 'worker',
  seedsEveryCall: true,
  configured: (settings) => Boolean(settings.workerUrl),
  request({ model, settings, prompt, params }) {
    // The partner models go by the REST API or AI Gateway (the worker's binding answers their URL, not the image).
    if (!settings.workerUrl || model.send === 'model-input') return undefined;
    const { workerKey } = settings;
    return {
      url: settings.workerUrl,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(workerKey ? { authorization: `Bearer ${workerKey}` } : {}) },
      body: JSON.stringify({ model: model.id, prompt, ...workersAiInputs(model, params), ...workersAiImages(model, params) }),
      route: 'worker',
      messages: { unauthorized: 'The imagegen worker refused the key (IMAGEGEN_WORKER_KEY must equal its API_KEY secret)' },
    };
  },
  readiness: (settings) => ({ url: settings.workerUrl }),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
};
