import { bindingFailure, readBindingAnswer } from '../binding-answer.js';
import { answerOf } from '../fetch-transport.js';
import type { BindingRun, ModelRequest } from '../models/model.js';
import { gatewayOptions, wantsGatewayOptions } from '../gateway-options.js';
import type { Transport, TransportRequest, TransportResponse } from '../ports.js';
import { runInput } from './cloudflare-requests.js';
import type { ImageRoute } from './route.js';

/**
 * The part of a Workers AI binding (`env.AI` in a Worker) the binding route uses.
 * https://developers.cloudflare.com/workers-ai/configuration/bindings/
 */
export interface WorkersAiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: { gateway?: Record<string, unknown> }): Promise<unknown>;
}

/**
 * The marks the generator sets in its settings when it is given a binding (`ai`), and the gateway
 * it goes through. Not settings of the environment: a binding is an object only a Worker has.
 */
export const BINDING_SETTING = 'WORKERS_AI_BINDING';
export const BINDING_GATEWAY_SETTING = 'WORKERS_AI_BINDING_GATEWAY';
// The requests of this route never leave the process: the binding transport answers them.
const BINDING_URL = 'workers-ai-binding:///';

/**
 * Workers AI through the binding of the Worker imagegen runs in (`new ImageGenerator({ ai: env.AI })`):
 * no token, no network hop. Every catalogue model, its input as the binding takes it (JSON fields,
 * FLUX.2's `{ multipart: { body, contentType } }`, a partner model's input), through AI Gateway
 * when `aiGateway` names one. First in the registry: in a Worker, the binding is the way.
 */
export const workersAiBindingRoute: ImageRoute = {
  name: 'binding',
  label: 'the Workers AI binding',
  // None read from the environment: the generator's `ai` and `aiGateway` options configure it.
  settings: [],
  errorFormat: 'cloudflare',
  takesCacheOptions: true,
  seedsEveryCall: true,
  configured: (settings) => settings.values[BINDING_SETTING] !== undefined,
  request({ model, settings, prompt, params, cache }) {
    if (settings.values[BINDING_SETTING] === undefined) return undefined;
    if (wantsGatewayOptions(cache) && !settings.values[BINDING_GATEWAY_SETTING]) {
      return { refused: "AI Gateway's options on the binding need a gateway: give the generator aiGateway (a gateway id)" };
    }
    const gateway = settings.values[BINDING_GATEWAY_SETTING];
    return {
      // Never fetched: the binding transport answers it; the URL names the run in logs.
      url: `${BINDING_URL}${model.id}`,
      method: 'POST',
      route: 'binding',
      run: { model: model.id, input: runInput(model, prompt, params), ...(gateway ? { gateway: gatewayOptions(cache, gateway) } : {}) },
      ...(model.answer.encoding === 'url' ? { answersUrl: true } : {}),
    };
  },
  readiness: () => ({}),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
  describe: (settings) =>
    `the Workers AI binding${settings.values[BINDING_GATEWAY_SETTING] ? ` through AI Gateway ${settings.values[BINDING_GATEWAY_SETTING]}` : ''}`,
};

/** A thrown binding failure as the REST API would answer it: the status of its code, Cloudflare's envelope with the binding's words. */
function failure(error: unknown, model: string): TransportResponse {
  const { status, code, said } = bindingFailure(error, { alias: model, id: model });
  const body = JSON.stringify({ success: false, errors: [{ ...(code === undefined ? {} : { code }), message: said }] });
  return answerOf(status, 'application/json', new TextEncoder().encode(body));
}

/** The binding's input: a form becomes `{ multipart: { body, contentType } }` afresh at each attempt (a stream is read once). */
function bindingInput(input: BindingRun['input']): Record<string, unknown> {
  if (!(input instanceof FormData)) return input;
  // Cloudflare's FLUX.2 example: a Response gives the form a body and its boundary.
  const encoded = new Response(input);
  return { multipart: { body: encoded.body, contentType: encoded.headers.get('content-type') } };
}

/**
 * A transport that answers the binding route's requests with `ai.run` and passes every other
 * request to `next` (an image a partner model answers as a URL is fetched through it). The
 * binding's answer, whatever its shape, becomes the image's bytes or stream; its thrown failure,
 * Cloudflare's envelope with the status of its code, so the one error table reads it. The binding
 * cannot be aborted: a timeout ends the attempt, not the run.
 *
 * @example
 * const transport = bindingTransport(env.AI, fetchTransport(fetch));
 */
export function bindingTransport(ai: WorkersAiBinding, next: Transport): Transport {
  return async (request) => {
    const { run } = request as TransportRequest & Pick<ModelRequest, 'run' | 'answersUrl'>;
    if (!run) return next(request);
    let output: unknown;
    try {
      output = await ai.run(run.model, bindingInput(run.input), run.gateway ? { gateway: run.gateway } : undefined);
    } catch (error) {
      return failure(error, run.model);
    }
    request.signal.throwIfAborted();
    // A partner model's answer names its image: handed on as JSON, the attempt downloads it.
    if (
      (request as Pick<ModelRequest, 'answersUrl'>).answersUrl &&
      typeof output === 'object' &&
      output !== null &&
      !(output instanceof ReadableStream)
    ) {
      return answerOf(200, 'application/json', new TextEncoder().encode(JSON.stringify(output)));
    }
    const image = await readBindingAnswer(output);
    if (image.kind === 'bytes') return answerOf(200, 'application/octet-stream', image.bytes);
    if (image.kind === 'stream') return answerOf(200, 'application/octet-stream', image.stream);
    // An image answered as a URL: the image is that URL's answer (never with a token: none is sent).
    if (image.kind === 'url') return next({ url: image.url, method: 'GET', signal: request.signal });
    return failure(new Error(image.problem), run.model);
  };
}
