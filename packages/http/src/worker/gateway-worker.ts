import { catalogue, ImageGenerator, loadSettings, type WorkersAiBinding } from '@imagegen/core';
import { KeyRpm } from '../budgets/key-rpm.js';
import { type KeyEntry, parseKeyEntries } from '../budgets/key-entries.js';
import { parseGatewayKeys } from '../auth.js';
import { createGatewayApp } from '../gateway-app.js';
import { GatewayError } from '../openai-error.js';
import { createInProcessQueue } from '../queue/in-process-queue.js';
import { R2ImageStorage, type R2BucketLike } from '../storage/r2-image-storage.js';
import { DurableState, type DurableObjectNamespaceLike } from './imagegen-state.js';

/** The gateway Worker's bindings, named as `packages/http/wrangler/gateway.toml` declares them. */
export interface GatewayWorkerEnv {
  /** Workers AI. */
  AI: WorkersAiBinding;
  /** R2: the images of `url` answers. */
  IMAGES: R2BucketLike;
  /** The Durable Object of Idempotency-Key records and per-key rate limits. */
  IMAGEGEN_STATE: DurableObjectNamespaceLike;
  /** The secret: the keys clients send (comma separated), as `imagegen serve` reads them. */
  IMAGEGEN_GATEWAY_KEYS?: string;
  /** The secret: named keys with budgets, models, rpm, admin: the JSON of `imagegen serve`'s IMAGEGEN_KEYS_FILE. */
  IMAGEGEN_KEYS?: string;
  /** An AI Gateway the binding's calls go through (its id). */
  IMAGEGEN_AI_GATEWAY?: string;
  /** How long `url` images are served, in ms. @default 3600000 */
  IMAGEGEN_IMAGE_MAX_AGE_MS?: string;
  /** Images made at once for one request (`n` up to 4). @default 4 */
  IMAGEGEN_CONCURRENCY?: string;
}

const NO_KEYS =
  'This gateway has no keys, so it serves nothing: set them with `wrangler secret put IMAGEGEN_GATEWAY_KEYS --config packages/http/wrangler/gateway.toml` (comma separated, at least 8 characters each)';

const whole = (text: string | undefined, fallback: number): number => {
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
};

type App = ReturnType<typeof createGatewayApp>['app'];

/**
 * The app for one request. Made per request, not per isolate: a Worker may not touch an I/O
 * object (a binding's stream, a fetch) made for another request, and an isolate-wide queue would
 * run one request's image in another's context. What is shared lives in the Durable Object and R2.
 */
function appFor(env: GatewayWorkerEnv, keyEntries: readonly KeyEntry[]): App {
  const maxAgeMs = whole(env.IMAGEGEN_IMAGE_MAX_AGE_MS, 3_600_000);
  const storage = new R2ImageStorage(env.IMAGES, maxAgeMs);
  const state = new DurableState(env.IMAGEGEN_STATE);
  const generator = new ImageGenerator({
    settings: loadSettings({}),
    limiter: state,
    ai: env.AI,
    ...(env.IMAGEGEN_AI_GATEWAY ? { aiGateway: env.IMAGEGEN_AI_GATEWAY } : {}),
    store: storage.store,
    retry: { on429: true },
  });
  const maxWaiting = 16;
  const { app } = createGatewayApp({
    generator,
    queue: createInProcessQueue({ generator, storage, concurrency: whole(env.IMAGEGEN_CONCURRENCY, 4), maxWaiting }),
    storage,
    logger: { info() {}, warn: (...args: unknown[]) => console.warn(...args), error: (...args: unknown[]) => console.error(...args) },
    keys: parseGatewayKeys(env.IMAGEGEN_GATEWAY_KEYS),
    keyEntries,
    budgets: { store: state },
    keyRpm: new KeyRpm((bucket) => ({ take: (client) => state.takeRpm(client, bucket.burst ?? 1) })),
    limiter: state,
    idempotency: state,
    maxWaiting,
    imageMaxAgeMs: maxAgeMs,
    // Cloudflare routes to this Worker only the hosts it is bound to: its own origin is the base of `url` images.
    publicUrl: (requestUrl) => new URL(requestUrl).origin,
  });
  return app;
}

/**
 * imagegen's OpenAI-compatible gateway as a Cloudflare Worker: the routes of `imagegen serve`
 * (generations, edits, streams, models, openapi.json, healthz, readyz) on the Workers AI binding,
 * `url` images in R2, Idempotency-Key records and per-key limits in a Durable Object. Without
 * `IMAGEGEN_GATEWAY_KEYS` it serves nothing but `/healthz` and says how to set them (503).
 * Asynchronous jobs (a queue every instance shares) answer 501.
 *
 * @example
 * // packages/http/wrangler/gateway.toml: main = "../dist/worker.js"; then
 * // wrangler deploy --config packages/http/wrangler/gateway.toml
 */
export const gatewayWorker = {
  fetch(request: Request, env: GatewayWorkerEnv): Response | Promise<Response> {
    let keyEntries: KeyEntry[];
    try {
      keyEntries = env.IMAGEGEN_KEYS?.trim() ? parseKeyEntries(env.IMAGEGEN_KEYS, 'IMAGEGEN_KEYS', aliasOf) : [];
    } catch (error) {
      return refuse(`${(error as Error).message}: fix the secret with \`wrangler secret put IMAGEGEN_KEYS\``, 'invalid_gateway_keys');
    }
    // Deployed without keys, it would be open to the Internet: it serves nothing but its liveness probe.
    if (parseGatewayKeys(env.IMAGEGEN_GATEWAY_KEYS).length === 0 && keyEntries.length === 0) {
      if (new URL(request.url).pathname === '/healthz') return Response.json({ status: 'ok' });
      return refuse(NO_KEYS, 'no_gateway_keys');
    }
    return appFor(env, keyEntries).fetch(request, env);
  },
};

const aliasOf = (model: string): string | undefined => catalogue.find((entry) => entry.alias === model || entry.id === model)?.alias;

const refuse = (message: string, code: string): Response =>
  Response.json(new GatewayError({ status: 503, message, type: 'server_error', code }).body(), { status: 503 });
