import { catalogue, findModel } from '@imagegen/core';
import type { AiBinding } from './ai-binding.js';
import { answerContentType } from './worker-responses.js';

/** Cloudflare's envelope around a failure, with one of its error codes. */
const failure = (status: number, code: number, message: string): Response =>
  Response.json({ result: null, success: false, errors: [{ code, message }], messages: [] }, { status });

const RUN_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/run\/(.+)$/;
// The partner models' endpoint: `{ model, input }` in the body.
const MODEL_INPUT_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/run$/;
const SEARCH_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/models\/search$/;

/** Reads the run's input as Workers AI's binding takes it: JSON fields, or the multipart body as is. */
async function runInputs(request: Request, multipart: boolean): Promise<Record<string, unknown> | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (multipart) {
    if (!type.startsWith('multipart/form-data')) return failure(400, 5006, 'this model takes multipart form data inputs');
    return { multipart: { body: request.body, contentType: type } };
  }
  try {
    const body = (await request.json()) as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return failure(400, 5006, 'the input must be a JSON object');
    return body as Record<string, unknown>;
  } catch {
    return failure(400, 5006, 'the input is not valid JSON');
  }
}

/**
 * The Workers AI REST API's run endpoint, `POST /client/v4/accounts/{account}/ai/run/{model id}`,
 * answered by an AI binding: base64 models in Cloudflare's envelope
 * `{"result": {"image"}, "success": true, ...}`, binary models as image bytes, failures as
 * `{"success": false, "errors": [{code, message}]}` (5007 unknown model, 5006 bad input).
 * The partner models take `{ model, input }` at `.../ai/run` and answer `{ state, result: { image } }`.
 * Point `CLOUDFLARE_API_BASE_URL` at `<server>/client/v4` to run the REST route end to end. With
 * a `token`, a request without `Authorization: Bearer <token>` is refused as Cloudflare does
 * (401, code 10000).
 *
 * @example
 * const response = await restRun(new Request('http://127.0.0.1/client/v4/accounts/a/ai/run/@cf/leonardo/lucid-origin', init), ai);
 */
export async function restRun(request: Request, ai: AiBinding, token?: string): Promise<Response> {
  if (token !== undefined && request.headers.get('authorization') !== `Bearer ${token}`) {
    return failure(401, 10000, 'Authentication error');
  }
  // The model search (what `imagegen doctor` reads to check a token): the catalogue.
  if (SEARCH_PATH.test(new URL(request.url).pathname)) {
    const result = catalogue.map((model) => ({ name: model.id, description: model.description, task: { name: 'Text-to-Image' } }));
    return Response.json({ result, success: true, errors: [], messages: [] });
  }
  if (request.method !== 'POST') return failure(405, 7001, 'use POST');
  const pathname = new URL(request.url).pathname;
  const partner = MODEL_INPUT_PATH.test(pathname);
  const body = partner ? await runInputs(request, false) : undefined;
  if (body instanceof Response) return body;
  const id = partner ? (typeof body?.model === 'string' ? body.model : '') : decodeURIComponent(RUN_PATH.exec(pathname)?.[1] ?? '');
  const model = findModel(id);
  if (!model || model.id !== id || (model.send === 'model-input') !== partner) return failure(400, 5007, `No such model ${id} or task`);
  const inputs = partner ? (body?.input as Record<string, unknown> | undefined) : await runInputs(request, model.send === 'multipart');
  if (!inputs || typeof inputs !== 'object') return failure(400, 5006, 'the body needs { model, input }');
  if (inputs instanceof Response) return inputs;
  let output: unknown;
  try {
    output = await ai.run(model.id, inputs);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const code = /^(\d{4,5}):/.exec(text)?.[1];
    return failure(code ? 400 : 500, code ? Number(code) : 3000, code ? text.slice(code.length + 1).trim() : 'Internal server error');
  }
  if (output instanceof ReadableStream) {
    return new Response(output, { headers: { 'content-type': answerContentType(model) } });
  }
  // A partner model's answer, as Cloudflare writes it (here the image inline: no storage to link to).
  if (partner) return Response.json({ state: 'Completed', result: output, gatewayMetadata: { keySource: 'local' } });
  return Response.json({ result: output, success: true, errors: [], messages: [] });
}

/** True for a path of the REST API that {@link restRun} answers (a run, the model search). */
export const isRestRunPath = (pathname: string): boolean =>
  RUN_PATH.test(pathname) || MODEL_INPUT_PATH.test(pathname) || SEARCH_PATH.test(pathname);
