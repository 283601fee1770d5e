import { SDXL_MAX_PROMPT } from './limits.js';
import { type SdxlEnv, SDXL_MODEL } from './ai-binding.js';
import { aiFailure, imageContentType, integerParam, promptProblem, secretsEqual, textResponse } from './worker-responses.js';

async function readJson(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await request.json();
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The SDXL worker: `POST /` with JSON `{ prompt, negative_prompt?, width?, height?, num_steps?, seed? }`
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
    if (!env.API_KEY) return textResponse(500, 'Worker misconfigured: the API_KEY secret is not set');
    const header = request.headers.get('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!secretsEqual(given, env.API_KEY)) {
      return textResponse(401, 'Unauthorized: missing or invalid API key', { 'www-authenticate': 'Bearer' });
    }
    const body = await readJson(request);
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
    const paramProblem = width.problem ?? height.problem ?? steps.problem ?? seed.problem;
    if (paramProblem) return textResponse(400, paramProblem);

    let output: unknown;
    try {
      output = await env.AI.run(SDXL_MODEL, {
        prompt: body.prompt,
        ...(body.negative_prompt === undefined ? {} : { negative_prompt: body.negative_prompt }),
        ...(width.value === undefined ? {} : { width: width.value }),
        ...(height.value === undefined ? {} : { height: height.value }),
        ...(steps.value === undefined ? {} : { num_steps: steps.value }),
        ...(seed.value === undefined ? {} : { seed: seed.value }),
      });
    } catch (error) {
      return aiFailure(error);
    }
    const headers = { 'content-type': 'image/png', 'cache-control': 'no-store' };
    if (output instanceof ReadableStream) return new Response(output, { headers });
    if (output instanceof Uint8Array || output instanceof ArrayBuffer) {
      const bytes = output instanceof Uint8Array ? output : new Uint8Array(output);
      return new Response(bytes as BodyInit, { headers: { ...headers, 'content-type': imageContentType(bytes) } });
    }
    return textResponse(502, 'The image model returned no image');
  },
};

export default sdxlWorker;
