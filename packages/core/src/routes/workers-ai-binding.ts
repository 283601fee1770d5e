import { bindingErrorCode, readBindingAnswer } from '../binding-answer.js';
import { cloudflareMeaning } from '../cloudflare-errors.js';
import { wantsGatewayOptions } from '../params.js';
import type { Transport, TransportRequest, TransportResponse } from '../ports.js';
import { cloudflareRunRequest } from './cloudflare-requests.js';
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
    return cloudflareRunRequest(model, { base: BINDING_URL, modelInputUrl: BINDING_URL, route: 'binding' }, prompt, params, cache);
  },
  readiness: () => ({}),
  probe: { model: 'sdxl-lightning', width: 256, height: 256 },
  describe: (settings) =>
    `the Workers AI binding${settings.values[BINDING_GATEWAY_SETTING] ? ` through AI Gateway ${settings.values[BINDING_GATEWAY_SETTING]}` : ''}`,
};

const END = Promise.resolve({ done: true });

/** Bytes or a stream as a transport's answer. */
function answer(status: number, type: string, body: Uint8Array | ReadableStream<Uint8Array> | undefined): TransportResponse {
  const reader = body instanceof ReadableStream ? body.getReader() : undefined;
  let bytes = body instanceof Uint8Array ? body : undefined;
  return {
    status,
    headers: new Headers({ 'content-type': type }),
    read: () => {
      if (reader) return reader.read();
      const value = bytes;
      bytes = undefined;
      return value ? Promise.resolve({ done: false, value }) : END;
    },
    cancel: (reason) => void reader?.cancel(reason).catch(() => {}),
  };
}

/** A thrown binding failure as the REST API would answer it: the status of its code, Cloudflare's envelope. */
function failure(error: unknown, model: string): TransportResponse {
  const code = bindingErrorCode(error);
  const status = (code === undefined ? undefined : cloudflareMeaning({ code }, 500, { alias: model, id: model })?.status) ?? 500;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  const body = JSON.stringify({ success: false, errors: [{ ...(code === undefined ? {} : { code }), message }] });
  return answer(status, 'application/json', new TextEncoder().encode(body));
}

/** AI Gateway's per-call headers, as the binding's `gateway` option takes them. */
function gatewayOption(request: TransportRequest, id: string | undefined): { gateway?: Record<string, unknown> } {
  if (!id) return {};
  const header = (name: string): string | undefined => request.headers?.[name];
  const ttl = header('cf-aig-cache-ttl');
  const timeout = header('cf-aig-request-timeout');
  const metadata = header('cf-aig-metadata');
  return {
    gateway: {
      id,
      ...(ttl ? { cacheTtl: Number(ttl) } : {}),
      ...(header('cf-aig-skip-cache') ? { skipCache: true } : {}),
      ...(header('cf-aig-cache-key') ? { cacheKey: header('cf-aig-cache-key') } : {}),
      ...(metadata ? { metadata: JSON.parse(metadata) as unknown } : {}),
      ...(timeout ? { requestTimeoutMs: Number(timeout) } : {}),
    },
  };
}

/** The model and the input of a binding request: a partner's `{ model, input }`, JSON fields, or a multipart form. */
async function runOf(request: TransportRequest): Promise<{ model: string; inputs: Record<string, unknown>; partner: boolean }> {
  const path = decodeURIComponent(request.url.slice(BINDING_URL.length));
  if (request.body instanceof FormData) {
    // The binding reads a form as a stream with its boundary (Cloudflare's FLUX.2 example).
    const encoded = new Response(request.body);
    return { model: path, inputs: { multipart: { body: encoded.body, contentType: encoded.headers.get('content-type') } }, partner: false };
  }
  const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
  const fields = JSON.parse(text) as Record<string, unknown>;
  if (path === '') return { model: String(fields.model), inputs: fields.input as Record<string, unknown>, partner: true };
  return { model: path, inputs: fields, partner: false };
}

/**
 * A transport that answers the binding route's requests with `ai.run` and passes every other
 * request to `next` (an image a partner model answers as a URL is fetched through it). The
 * binding's answer, whatever its shape, becomes the image's bytes or stream; its thrown failure,
 * Cloudflare's envelope with the status of its code, so the one error table reads it. The binding
 * cannot be aborted: a timeout ends the attempt, not the run.
 *
 * @example
 * const transport = bindingTransport(env.AI, undefined, fetchTransport(fetch));
 */
export function bindingTransport(ai: WorkersAiBinding, gateway: string | undefined, next: Transport): Transport {
  return async (request) => {
    if (!request.url.startsWith(BINDING_URL)) return next(request);
    const { model, inputs, partner } = await runOf(request);
    let output: unknown;
    try {
      output = await ai.run(model, inputs, gatewayOption(request, gateway));
    } catch (error) {
      return failure(error, model);
    }
    request.signal.throwIfAborted();
    // A partner model's answer names its image: handed on as JSON, the attempt downloads it.
    if (partner && typeof output === 'object' && output !== null && !(output instanceof ReadableStream)) {
      return answer(200, 'application/json', new TextEncoder().encode(JSON.stringify(output)));
    }
    const image = await readBindingAnswer(output);
    if (image.kind === 'bytes') return answer(200, 'application/octet-stream', image.bytes);
    if (image.kind === 'stream') return answer(200, 'application/octet-stream', image.stream);
    // An image answered as a URL: the image is that URL's answer (never with a token: none is sent).
    if (image.kind === 'url') return next({ url: image.url, method: 'GET', signal: request.signal });
    return failure(new Error(image.problem), model);
  };
}
