import { defaultModels, type ImageGenerator } from '@imagegen/core';
import { Hono } from 'hono';
import type { JobStore } from './job-store.js';
import { apiKeys } from './middlewares/api-keys.js';
import { limitBody } from './middlewares/body-limit.js';
import { corsHeaders } from './middlewares/cors-headers.js';
import { errorsInOpenAiShape, notFoundInOpenAiShape } from './middlewares/openai-errors.js';
import { rateLimit } from './middlewares/rate-limit.js';
import { type InFlight, requestLog } from './middlewares/request-log.js';
import { GatewayError, invalidRequest } from './openai-error.js';
import { openApiDocument } from './openapi.js';
import type { WorkQueue } from './queue/work-queue.js';
import type { RateLimiter } from './rate-limit.js';
import type { GatewayEnv, GatewayLogger } from './request-context.js';
import { editsHandler } from './routes/edits.js';
import { generationsHandler } from './routes/generations.js';
import { type Readiness, readinessCheck } from './routes/health.js';
import { imageHandler } from './routes/images.js';
import { jobHandler, prefersAsync, startJob } from './routes/jobs.js';
import { type IdempotencyStore, InMemoryIdempotencyStore } from './idempotency-store.js';
import { idempotency } from './middlewares/idempotency.js';
import { MODEL_ALIASES } from './schemas.js';
import type { ImageStorage } from './storage/image-storage.js';
import { type GatewayTelemetry, noTelemetry } from './telemetry.js';

/** What the routes run on: made by the Node entry's `createApp`, or by hand anywhere `fetch` runs. */
export interface GatewayParts {
  /** Its settings say which workers `/readyz` checks. */
  generator: ImageGenerator;
  /** Where generations wait for a slot and run. */
  queue: WorkQueue;
  /** Where the images of `url` answers live. */
  storage: ImageStorage;
  /** Where asynchronous jobs live. */
  jobs: JobStore;
  logger: GatewayLogger;
  /** Bearer keys clients must send; none: no auth. */
  keys?: readonly string[];
  /** Per-client limit; none: unlimited. */
  limiter?: RateLimiter;
  /** Where Idempotency-Key answers are kept. @default an InMemoryIdempotencyStore */
  idempotency?: IdempotencyStore;
  /** @default noTelemetry (and no /metrics route) */
  telemetry?: GatewayTelemetry;
  /** @default workers and storage checked ({@link readinessCheck}) */
  readiness?: () => Promise<Readiness>;
  /** Images waiting for a slot before 503. */
  maxWaiting: number;
  /** Largest request body. @default 65536 */
  maxBodyBytes?: number;
  /** Largest `POST /v1/images/edits` body (its images included), in bytes. @default 26214400 (25 MiB) */
  maxEditBodyBytes?: number;
  /** How long `url` images are served (Cache-Control). @default 3600000 */
  imageMaxAgeMs?: number;
  /** CORS origins, or false for no CORS headers. @default '*' */
  cors?: { origin: string | string[] } | false;
  /** The base of `url` answers. @default the request's origin */
  publicUrl?: string;
  /** The version `/openapi.json` states. @default '0.0.0' */
  version?: string;
}

/**
 * The gateway's route table over parts it is given: no Node module, no Redis, no file system
 * here, so it runs wherever Hono does (Node, workerd, Bun, Deno). The Node entry's `createApp`
 * builds the parts from the environment and calls this.
 *
 * @example
 * import { createGatewayApp, createInProcessQueue, InMemoryJobStore } from '@imagegen/http/app';
 *
 * const { app } = createGatewayApp({ generator, queue, storage, jobs: new InMemoryJobStore(3_600_000), logger: console, maxWaiting: 64 });
 * export default { fetch: app.fetch };
 */
export function createGatewayApp(parts: GatewayParts): { app: Hono<GatewayEnv>; inFlight: InFlight } {
  const { queue, storage, jobs, logger } = parts;
  const telemetry = parts.telemetry ?? noTelemetry;
  const readiness = parts.readiness ?? readinessCheck(parts.generator.settings, storage);
  const imageMaxAgeMs = parts.imageMaxAgeMs ?? 3_600_000;
  const inFlight: InFlight = { active: 0 };
  const generations = {
    queue,
    maxWaiting: parts.maxWaiting,
    storage,
    telemetry,
    publicUrl: (context: { req: { url: string } }) => (parts.publicUrl ?? new URL(context.req.url).origin).replace(/\/$/, ''),
  };
  const generationsRoute = generationsHandler(generations);
  const protect = apiKeys(parts.keys ?? []);
  const once = idempotency(parts.idempotency ?? new InMemoryIdempotencyStore());
  const tooLarge = () => {
    throw new GatewayError({
      status: 413,
      message: 'The request body is too large',
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
  };

  const app = new Hono<GatewayEnv>();
  app.use('*', requestLog({ logger, telemetry, inFlight }));
  if (parts.cors !== false) {
    app.use(
      '*',
      corsHeaders({
        origin: parts.cors?.origin ?? '*',
        allowHeaders: ['authorization', 'content-type', 'x-request-id', 'idempotency-key'],
        exposeHeaders: ['retry-after', 'x-request-id', 'x-imagegen-attempts', 'idempotent-replayed'],
        maxAge: 600,
      }),
    );
  }
  // Images are fetched by <img> tags and plain GETs that carry no key: their names are unguessable.
  for (const path of ['/v1/images/generations', '/v1/images/edits', '/v1/images/variations', '/v1/models', '/v1/jobs/*'])
    app.use(path, protect);

  app.post('/v1/images/generations', limitBody(parts.maxBodyBytes ?? 64 * 1024, tooLarge), rateLimit(parts.limiter), once, (context) =>
    prefersAsync(context) ? startJob(context, generations, jobs) : generationsRoute(context),
  );
  app.post(
    '/v1/images/edits',
    limitBody(parts.maxEditBodyBytes ?? 25 * 1024 * 1024, tooLarge),
    rateLimit(parts.limiter),
    once,
    editsHandler(generations),
  );
  app.post('/v1/images/variations', () => {
    throw invalidRequest(
      'Image variations are not supported: send the image with a prompt to POST /v1/images/edits',
      null,
      'unsupported_endpoint',
    );
  });
  app.get('/v1/jobs/:id', jobHandler(jobs));
  app.get('/v1/images/:file', imageHandler(storage, Math.floor(imageMaxAgeMs / 1000)));
  app.get('/v1/models', (context) => {
    const data = Object.keys(MODEL_ALIASES).map((id) => ({
      id,
      object: 'model',
      created: 0,
      owned_by: defaultModels[id] ? 'imagegen' : 'cloudflare',
    }));
    return context.json({ object: 'list', data });
  });
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.get('/readyz', async (context) => {
    const answer = await readiness();
    return context.json(answer, answer.ready ? 200 : 503);
  });
  if (telemetry.scrape) {
    app.get('/metrics', async (context) => {
      const { body, contentType } = await telemetry.scrape!();
      return context.text(body, 200, { 'content-type': contentType });
    });
  }
  app.get('/openapi.json', (context) => context.json(openApiDocument(parts.version ?? '0.0.0')));
  app.notFound(notFoundInOpenAiShape);
  app.onError(errorsInOpenAiShape(logger));
  return { app, inFlight };
}
