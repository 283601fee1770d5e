import { FLUX_MAX_PROMPT } from './limits.js';
import { type FluxEnv, FLUX_MODEL } from './ai-binding.js';
import { aiFailure, imageAnswer, integerParam, promptProblem, textResponse } from './worker-responses.js';

/**
 * The Flux worker: `GET /?prompt=...` (optional `steps` 1-8, `seed`) runs
 * `@cf/black-forest-labs/flux-1-schnell` and answers the image bytes with their content type.
 *
 * @example
 * // wrangler.toml: main = "src/flux.ts", [ai] binding = "AI"
 * export { default } from '@imagegen/workers/flux';
 */
const fluxWorker = {
  async fetch(request: Request, env: FluxEnv): Promise<Response> {
    if (request.method !== 'GET') return textResponse(405, 'Method not allowed: use GET /?prompt=...', { allow: 'GET' });
    const query = new URL(request.url).searchParams;
    const prompt = query.get('prompt') ?? undefined;
    const problem = promptProblem(prompt, FLUX_MAX_PROMPT);
    if (problem) return textResponse(400, problem);
    const steps = integerParam('steps', query.get('steps') ?? undefined, 1, 8);
    const seed = integerParam('seed', query.get('seed') ?? undefined, 0, 4_294_967_295);
    const paramProblem = steps.problem ?? seed.problem;
    if (paramProblem) return textResponse(400, paramProblem);

    let output: unknown;
    try {
      output = await env.AI.run(FLUX_MODEL, {
        prompt,
        ...(steps.value === undefined ? {} : { steps: steps.value }),
        ...(seed.value === undefined ? {} : { seed: seed.value }),
      });
    } catch (error) {
      return aiFailure(error);
    }
    return imageAnswer(output, { 'cache-control': 'no-store' }, 'image/jpeg');
  },
};

export default fluxWorker;
