import { defaultModels, type Settings } from '@imagegen/core';

/**
 * The models these settings can call (a queue worker takes jobs only for those, so a job for a
 * model it cannot make waits for a process that can).
 *
 * @example
 * configuredModels(loadSettings({ FLUX_WORKER_URL: 'https://flux.example.workers.dev' })); // ['flux']
 */
export const configuredModels = (settings: Settings): string[] =>
  Object.values(defaultModels)
    .filter((model) => !('notConfigured' in model.buildRequest(settings, 'probe', {})))
    .map((model) => model.name);
