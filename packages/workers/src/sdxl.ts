import { SDXL_MAX_PROMPT } from './limits.js';
import { type SdxlEnv, SDXL_MODEL } from './ai-binding.js';
import { aiFailure, bearerRefusal, imageAnswer, integerParam, promptProblem, readJsonObject, textResponse } from './worker-responses.js';

/**
 * The SDXL worker: `POST /` with JSON `{ prompt, negative_prompt?, width?, height?, num_steps?, guidance?, seed? }`
 * and `Authorization: Bearer <API_KEY>` runs `@cf/stabilityai/stable-diffusion-xl-base-1.0` and
 * streams the PNG back.
 *
 * @example
 * // wrangler.toml: main = "src/sdxl.ts", [ai] binding = "AI"; then `wrangler secret put API_KEY`
 * export { default } from '@imagegen/workers/sdxl';
 */
const sdxlWorker = {
  async fetch(request: Request, env: SdxlEnv): Promise<Response> {
    if (request.method !== 'POST') return textResponse(405, 'Method not allowed: use POST', { allow: 'POST' });
    const refusal = bearerRefusal(request, env.API_KEY);
    if (refusal) return refusal;
    const body = await readJsonObject(request);
    if (!body) return textResponse(400, 'Body must be a JSON object with a "prompt"');
    const problem = promptProblem(body.prompt, SDXL_MAX_PROMPT);
    if (problem) return textResponse(400, problem);
    if (body.negative_prompt !== undefined && typeof body.negative_prompt !== 'string') {
      return textResponse(400, 'negative_prompt must be a string');
    }
    const width = integerParam('width', body.width, 256, 2048);
    const height = integerParam('height', body.height, 256, 2048);
    const steps = integerParam('num_steps', body.num_steps, 1, 20);
    const seed = integerParam('seed', body.seed, 0, 4_294_967_295);
    const guidance = body.guidance;
    const guidanceProblem =
      guidance === undefined || (typeof guidance === 'number' && guidance >= 0 && guidance <= 30)
        ? undefined
        : 'guidance must be a number from 0 to 30';
    const paramProblem = width.problem ?? height.problem ?? steps.problem ?? seed.problem ?? guidanceProblem;
    if (paramProblem) return textResponse(400, paramProblem);

    let output: unknown;
    try {
      output = await env.AI.run(SDXL_MODEL, {
        prompt: body.prompt,
        ...(body.negative_prompt === undefined ? {} : { negative_prompt: body.negative_prompt }),
        ...(width.value === undefined ? {} : { width: width.value }),
        ...(height.value === undefined ? {} : { height: height.value }),
        ...(steps.value === undefined ? {} : { num_steps: steps.value }),
        ...(guidance === undefined ? {} : { guidance }),
        ...(seed.value === undefined ? {} : { seed: seed.value }),
      });
    } catch (error) {
      return aiFailure(error);
    }
    return imageAnswer(output, { 'cache-control': 'no-store' }, 'image/png');
  },
};

export default sdxlWorker;
