import { defaultModels, type ImageGenerator } from '@imagegen/core';
import { Hono } from 'hono';
import { lazyMcp, type McpMount } from './mcp/mcp-mount.js';
import type { BudgetGuard } from './budgets/budget-guard.js';
import type { KeyEntry } from './budgets/key-entries.js';
import type { KeyRpm } from './budgets/key-rpm.js';
import { usageHandler } from './routes/usage.js';
import type { JobStore } from './job-store.js';
import { apiKeys } from './middlewares/api-keys.js';
import { isLoopbackHost, localOnly } from './middlewares/local-only.js';
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
  /** Where asynchronous jobs live; none: `Prefer: respond-async` and `/v1/jobs` answer 501 (the gateway Worker). */
  jobs?: JobStore;
  logger: GatewayLogger;
  /** Bearer keys clients must send; none: no auth. */
  keys?: readonly string[];
  /** Per-client limit; none: unlimited. */
  limiter?: RateLimiter;
  /** The keys of IMAGEGEN_KEYS_FILE (named; budgets, models, rpm, admin), beside `keys`. */
  keyEntries?: readonly KeyEntry[];
  /** Where those keys' spend is held and kept; needed when one has a budget. */
  budgets?: BudgetGuard;
  /** Each key's own requests a minute (`rpm`). */
  keyRpm?: KeyRpm;
  /** IMAGEGEN_FALLBACKS: the models to try after a model that failed with 3040, 3036, 5xx or a timeout. */
  fallbacks?: ReadonlyMap<string, readonly string[]>;
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
  /** CORS origins, or false for no CORS headers. @default false */
  cors?: { origin: string | string[] } | false;
  /** Origins other than this machine's pages that a keyless gateway answers (the CORS origins). @default none */
  allowedOrigins?: readonly string[];
  /** Serve `/metrics` without a key when keys are set. @default false */
  metricsPublic?: boolean;
  /**
   * The base of `url` answers, or a function that gives it (the address the server is bound to).
   * Never the request's Host, which a client chooses. @default the request's origin when it is a
   * loopback one, else http://localhost
   */
  publicUrl?: string | ((requestUrl: string) => string | undefined);
  /** The version `/openapi.json` states. @default '0.0.0' */
  version?: string;
  /**
   * Mounts `/mcp` (MCP over Streamable HTTP): the Node gateway loads its route at the first MCP
   * request. None: `/mcp` is not found.
   */
  mcp?: McpMount;
}

// The routes anyone may call, keys or not: probes and the API description.
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json']);
const POST_ONLY = ['/v1/images/generations', '/v1/images/edits', '/v1/images/variations'];
// The answer's headers a page's script may read.
const EXPOSED_HEADERS = [
  'retry-after',
  'x-request-id',
  'x-imagegen-attempts',
  'x-imagegen-warning',
  'x-imagegen-cost-usd',
  'idempotent-replayed',
];

/** The base of `url` answers: the one configured (or bound), else the request's origin only when it is loopback. */
function publicBase(configured: GatewayParts['publicUrl'], requestUrl: string): string {
  const base = typeof configured === 'function' ? configured(requestUrl) : configured;
  if (base) return base.replace(/\/$/, '');
  const origin = new URL(requestUrl);
  return isLoopbackHost(origin.hostname) ? origin.origin : 'http://localhost';
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
    publicUrl: (context: { req: { url: string } }) => publicBase(parts.publicUrl, context.req.url),
    ...(parts.budgets ? { budgets: parts.budgets } : {}),
    ...(parts.fallbacks ? { fallbacks: parts.fallbacks } : {}),
  };
  const generationsRoute = generationsHandler(generations);
  const keys = parts.keys ?? [];
  // Fails closed: every route needs a key but these. Images are fetched by <img> tags and plain
  // GETs that carry no key: their names are unguessable.
  const isPublic = (method: string, path: string): boolean =>
    PUBLIC_PATHS.has(path) ||
    (parts.metricsPublic === true && path === '/metrics') ||
    ((method === 'GET' || method === 'HEAD') && /^\/v1\/images\/[^/]+$/.test(path) && !POST_ONLY.includes(path));
  const once = idempotency(parts.idempotency ?? new InMemoryIdempotencyStore());
  const tooLarge = () => {
    throw new GatewayError({
      status: 413,
      message: 'The request body is too large',
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
  };

  const limited = rateLimit(parts.limiter, parts.keyRpm);
  const editBody = limitBody(parts.maxEditBodyBytes ?? 25 * 1024 * 1024, tooLarge);

  const app = new Hono<GatewayEnv>();
  app.use('*', requestLog({ logger, telemetry, inFlight }));
  app.use(
    '*',
    localOnly({ keyless: keys.length === 0 && (parts.keyEntries?.length ?? 0) === 0, allowedOrigins: parts.allowedOrigins ?? [] }),
  );
  if (parts.cors) {
    app.use(
      '*',
      corsHeaders({
        origin: parts.cors.origin,
        allowHeaders: ['authorization', 'content-type', 'x-request-id', 'idempotency-key'],
        exposeHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      }),
    );
  }
  app.use('*', apiKeys(keys, isPublic, parts.keyEntries));
  // Before the image route, which would take `generations` for an image's name.
  app.on(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'], POST_ONLY, (context) => {
    throw new GatewayError({
      status: 405,
      message: `${context.req.method} is not allowed here: send POST ${context.req.path}`,
      type: 'invalid_request_error',
      code: 'method_not_allowed',
      headers: { allow: 'POST' },
    });
  });

  const noJobs = (): never => {
    throw new GatewayError({
      status: 501,
      message:
        'Asynchronous jobs are not available here (they need a queue every instance shares): send the request without Prefer: respond-async',
      type: 'invalid_request_error',
      code: 'not_implemented',
    });
  };
  app.post('/v1/images/generations', limitBody(parts.maxBodyBytes ?? 64 * 1024, tooLarge), limited, once, (context) =>
    prefersAsync(context) ? (jobs ? startJob(context, generations, jobs) : noJobs()) : generationsRoute(context),
  );
  app.post('/v1/images/edits', editBody, limited, once, editsHandler(generations));
  app.post('/v1/images/variations', () => {
    throw invalidRequest(
      'Image variations are not supported: send the image with a prompt to POST /v1/images/edits',
      null,
      'unsupported_endpoint',
    );
  });
  if (parts.mcp) {
    const mcpParts = {
      generations,
      settings: parts.generator.settings,
      version: parts.version ?? '0.0.0',
      logger,
      ...(parts.limiter ? { limiter: parts.limiter } : {}),
    };
    app.on(['GET', 'POST', 'DELETE'], '/mcp', editBody, lazyMcp(parts.mcp, mcpParts));
  }
  app.get('/v1/usage', usageHandler(parts.budgets, parts.keyEntries ?? []));
  app.get('/v1/jobs/:id', jobs ? jobHandler(jobs) : noJobs);
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
