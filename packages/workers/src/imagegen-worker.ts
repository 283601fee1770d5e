import { type CatalogueModel, findModel, type GenerationParams } from '@imagegen/core';
import { randomSeed, schemaTakesSeed, workersAiForm, workersAiImages, workersAiInputs } from '@imagegen/core/internal';
import type { AiBinding } from './ai-binding.js';
import { readModelInputs } from './model-inputs.js';
import { aiFailureEnvelope, answerContentType, bearerRefusal, imageAnswer, readJsonObject, textResponse } from './worker-responses.js';

/** The generic worker's environment: the AI binding and the `API_KEY` secret clients send as Bearer. */
export interface ImagegenWorkerEnv {
  AI: AiBinding;
  API_KEY?: string;
}

/** The binding's input: JSON fields, or a multipart form for the models that take only that (FLUX.2). */
function aiInputs(model: CatalogueModel, prompt: string, params: GenerationParams): Record<string, unknown> {
  if (model.send === 'json') return { prompt, ...workersAiInputs(model, params), ...workersAiImages(model, params) };
  // FormData has no serialised body of its own: a Response gives it one, with its boundary.
  const encoded = new Response(workersAiForm(model, prompt, params));
  return { multipart: { body: encoded.body, contentType: encoded.headers.get('content-type') } };
}

/**
 * The generic imagegen worker: `POST /` with JSON `{ "model": "<alias or id>", "prompt": "...",
 * ...inputs }` (Workers AI field names: `num_steps`, `guidance`, `width`...; images as base64 in
 * `image_b64`, or `input_image_0`... for FLUX.2) and
 * `Authorization: Bearer <API_KEY>` runs any catalogue model, checked against the same catalogue
 * as the library, and answers the image bytes with their content type and the seed used
 * (`x-imagegen-seed`). Anything not in the catalogue is a 400.
 *
 * @example
 * // wrangler/imagegen.toml: main = "../src/imagegen-worker.ts", [ai] binding = "AI"; then `wrangler secret put API_KEY`
 * export { default } from '@imagegen/workers/imagegen-worker';
 */
const imagegenWorker = {
  async fetch(request: Request, env: ImagegenWorkerEnv): Promise<Response> {
    if (request.method !== 'POST') return textResponse(405, 'Method not allowed: use POST', { allow: 'POST' });
    const refusal = bearerRefusal(request, env.API_KEY);
    if (refusal) return refusal;
    const body = await readJsonObject(request);
    if (!body) return textResponse(400, 'Body must be a JSON object with a "model" and a "prompt"');
    const { model: name, ...fields } = body;
    const model = typeof name === 'string' ? findModel(name) : undefined;
    if (!model) return textResponse(400, `Unknown model: use a catalogue alias or Workers AI id (${String(name)} is neither)`);
    const read = readModelInputs(model, fields);
    if ('problem' in read) return textResponse(400, read.problem);
    const params = schemaTakesSeed(model) ? { ...read.params, seed: read.params.seed ?? randomSeed() } : read.params;
    let output: unknown;
    try {
      output = await env.AI.run(model.id, aiInputs(model, read.prompt, params));
    } catch (error) {
      return aiFailureEnvelope(error, model);
    }
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      ...(params.seed === undefined ? {} : { 'x-imagegen-seed': String(params.seed) }),
    };
    return imageAnswer(output, headers, answerContentType(model));
  },
};

export default imagegenWorker;
