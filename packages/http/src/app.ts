import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { defaultModels, type ImageGenerator } from '@imagegen/core';
import { createImageGenerator, type NodeImageGeneratorOptions } from '@imagegen/core/node';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { matchKey, parseGatewayKeys } from './auth.js';
import { envNumber } from './env-number.js';
import { BullMqWorkQueue } from './queue/bullmq-queue.js';
import { createQueueWorker, type QueueWorker } from './queue/bullmq-worker.js';
import { configuredModels } from './queue/configured-models.js';
import { createInProcessQueue } from './queue/in-process-queue.js';
import { type QueueSettings, queueSettingsFromEnv } from './queue/queue-settings.js';
import type { WorkQueue } from './queue/work-queue.js';
import type { ImageStorage } from './storage/image-storage.js';
import { imageStorageFromEnv } from './storage/storage-from-env.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { GatewayError } from './openai-error.js';
import { openApiDocument } from './openapi.js';
import { type RateLimiter, TokenBucketLimiter, type TokenBucketOptions } from './rate-limit.js';
import { RedisRateLimiter } from './redis-rate-limit.js';
import { acceptedRequestId, type GatewayEnv } from './request-context.js';
import { generationsHandler } from './routes/generations.js';
import { jobHandler, prefersAsync, startJob } from './routes/jobs.js';
import { InMemoryJobStore, type JobStore } from './job-store.js';
import { RedisJobStore } from './redis-job-store.js';
import { readinessHandler } from './routes/health.js';
import { imageHandler } from './routes/images.js';
import { MODEL_ALIASES } from './schemas.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Options of {@link createApp}; every one has a default. */
export interface GatewayOptions {
  /** The generator to use; built with `createImageGenerator(generatorOptions)` when absent. `close()` closes it. */
  generator?: ImageGenerator;
  generatorOptions?: NodeImageGeneratorOptions;
  /** Where settings come from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Bearer keys clients must send. @default IMAGEGEN_GATEWAY_KEYS (comma separated); none: no auth */
  keys?: readonly string[];
  /** Largest request body. @default 65536 */
  maxBodyBytes?: number;
  /**
   * Per-client token bucket, a custom limiter, or false for none; shared through Redis when
   * IMAGEGEN_REDIS_URL is set. @default { burst: 60, perSecond: 10 } (IMAGEGEN_RATE_LIMIT_BURST,
   * IMAGEGEN_RATE_LIMIT_PER_SECOND; a per-second rate of 0 turns it off)
   */
  rateLimit?: TokenBucketOptions | RateLimiter | false;
  /** Generations running at once. @default 4 */
  concurrency?: number;
  /** Images waiting for a slot before 503. @default 64 in process; 1024 answers awaited from the shared queue */
  maxWaiting?: number;
  /** How long `url` images are served, then swept. @default 3600000 (1 hour) */
  imageMaxAgeMs?: number;
  /** CORS origins, or false for no CORS headers. @default '*' */
  cors?: { origin: string | string[] } | false;
  /** The base of `url` answers, when behind a proxy. @default the request's origin (IMAGEGEN_PUBLIC_URL) */
  publicUrl?: string;
  /** pino logger. @default JSON lines on stderr at IMAGEGEN_LOG_LEVEL (info) */
  logger?: Logger;
  /** Where asynchronous jobs live. @default in memory */
  jobs?: JobStore;
  /** How long an asynchronous job and its result are kept. @default 3600000 (1 hour) */
  jobTtlMs?: number;
  /** Where `url` images live. @default an S3 bucket when IMAGEGEN_S3_BUCKET is set, else the generator's output directory */
  storage?: ImageStorage;
  /**
   * With IMAGEGEN_REDIS_URL, whether this process also takes jobs from the shared queue
   * (`concurrency` at once per model) besides serving HTTP. @default true
   */
  takeJobs?: boolean;
  /** Overrides of the shared queue's settings (otherwise from IMAGEGEN_QUEUE_* variables). */
  queueSettings?: Partial<QueueSettings>;
}

/** The gateway: a Hono app with its own resources. */
export type GatewayApp = Hono<GatewayEnv> & {
  /** The generator behind the routes. */
  generator: ImageGenerator;
  metrics: GatewayMetrics;
  queue: WorkQueue;
  storage: ImageStorage;
  /** This process's queue worker, when it takes jobs from the shared queue. */
  worker: QueueWorker | undefined;
  /** Requests being handled now. */
  inFlight(): number;
  /** Stops the sweeper, waits for queued generations, and closes the generator. */
  close(): Promise<void>;
};

const isLimiter = (value: unknown): value is RateLimiter => typeof (value as RateLimiter | undefined)?.take === 'function';

/**
 * Creates the OpenAI-compatible gateway as a Hono app: `POST /v1/images/generations`,
 * `GET /v1/images/{file}`, `GET /v1/models`, `/healthz`, `/readyz`, `/metrics`,
 * `/openapi.json`. Embed it anywhere `app.fetch` runs, or mount it with `app.route()`.
 *
 * @example
 * import { createApp } from '@imagegen/http';
 * import { serve } from '@hono/node-server';
 *
 * const app = createApp({ keys: ['my-secret-key'] });
 * serve({ fetch: app.fetch, port: 8080 });
 */
export function createApp(options: GatewayOptions = {}): GatewayApp {
  const env = options.env ?? process.env;
  const generator = options.generator ?? createImageGenerator({ env, ...options.generatorOptions });
  const keys = options.keys ?? parseGatewayKeys(env.IMAGEGEN_GATEWAY_KEYS);
  const logger = options.logger ?? pino({ level: env.IMAGEGEN_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const concurrency = options.concurrency ?? 4;
  const imageMaxAgeMs = options.imageMaxAgeMs ?? 3_600_000;
  const publicBase = options.publicUrl ?? env.IMAGEGEN_PUBLIC_URL;
  const storage = options.storage ?? imageStorageFromEnv(env, generator.settings.outputDir, imageMaxAgeMs);
  // With IMAGEGEN_REDIS_URL the work, the rate limit and the asynchronous jobs are shared by
  // every process that reaches the same Redis.
  // The settings first: a bad value must stop the start before any connection is opened.
  const queueSettings = env.IMAGEGEN_REDIS_URL ? queueSettingsFromEnv(env, options.queueSettings) : undefined;
  const redis = queueSettings ? new Redis(queueSettings.redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  let lastRedisError: string | undefined;
  redis?.on('error', (error: Error) => {
    // ioredis reconnects by itself and reports every failed try: log a new problem once.
    if (error.message !== lastRedisError) logger.warn({ err: { message: error.message } }, 'Redis connection error');
    lastRedisError = error.message;
  });
  redis?.on('ready', () => (lastRedisError = undefined));
  const models = Object.keys(defaultModels);
  const maxWaiting = options.maxWaiting ?? (redis ? 1024 : 64);
  // eslint-disable-next-line prefer-const -- assigned below, once the queue it reads exists; the hooks run only after that
  let metrics: GatewayMetrics;
  const hooks = (model: string) => ({
    onAttempt: () => metrics.upstreamAttempts.inc({ model }),
    onRetry: () => metrics.upstreamRetries.inc({ model }),
  });
  const queue: WorkQueue & { limiterWaits?: () => Promise<Record<string, number>> } = queueSettings
    ? new BullMqWorkQueue({ settings: queueSettings, models, maxWaiting, onStalled: (model) => metrics.stalledJobs.inc({ model }) })
    : createInProcessQueue({ generator, storage, concurrency, maxWaiting, hooks });
  metrics = createMetrics(queue);
  const worker =
    queueSettings && options.takeJobs !== false
      ? createQueueWorker({
          settings: queueSettings,
          generator,
          storage,
          models: configuredModels(generator.settings),
          concurrency,
          hooks,
          onStart: (model, waitedMs) => metrics.queueWaitSeconds.observe({ model }, waitedMs / 1000),
        })
      : undefined;
  const bucket = {
    burst: envNumber(env, 'IMAGEGEN_RATE_LIMIT_BURST', 60, { orEqual: true }),
    perSecond: envNumber(env, 'IMAGEGEN_RATE_LIMIT_PER_SECOND', 10, { orEqual: true }),
    ...(isLimiter(options.rateLimit) || options.rateLimit === false ? {} : options.rateLimit),
  };
  const limiter =
    options.rateLimit === false || bucket.perSecond === 0
      ? undefined
      : isLimiter(options.rateLimit)
        ? options.rateLimit
        : redis
          ? new RedisRateLimiter(redis, bucket)
          : new TokenBucketLimiter(bucket);
  const sweeper = setInterval(() => void storage.sweep().catch(() => {}), Math.min(imageMaxAgeMs, 60_000));
  sweeper.unref?.();
  let active = 0;

  const jobTtlMs = options.jobTtlMs ?? 3_600_000;
  const jobs = options.jobs ?? (redis ? new RedisJobStore(redis, jobTtlMs) : new InMemoryJobStore(jobTtlMs));
  const generations = {
    queue,
    maxWaiting,
    storage,
    metrics,
    publicUrl: (context: { req: { url: string } }) => (publicBase ?? new URL(context.req.url).origin).replace(/\/$/, ''),
  };
  const generationsRoute = generationsHandler(generations);

  const app = new Hono<GatewayEnv>();

  app.use('*', async (context, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(context.req.header('x-request-id')) ?? randomUUID();
    context.set('requestId', requestId);
    // The shared logger, not a child per request: a child costs more than most requests' work;
    // routes put reqId in their fields instead.
    context.set('logger', logger);
    active++;
    try {
      await next();
    } finally {
      active--;
      context.header('x-request-id', requestId);
      const status = context.res.status;
      metrics.requests.inc({ route: context.req.routePath, method: context.req.method, status });
      logger.info(
        { reqId: requestId, method: context.req.method, path: context.req.path, status, ms: Math.round(performance.now() - started) },
        'request',
      );
    }
  });
  if (options.cors !== false) {
    app.use(
      '*',
      cors({
        origin: options.cors?.origin ?? '*',
        exposeHeaders: ['retry-after', 'x-request-id', 'x-imagegen-attempts'],
        allowHeaders: ['authorization', 'content-type', 'x-request-id'],
        maxAge: 600,
      }),
    );
  }

  // Images are fetched by <img> tags and plain GETs that carry no key: their names are unguessable.
  const protect = createMiddleware<GatewayEnv>(async (context, next) => {
    if (keys.length > 0) {
      const index = matchKey(context.req.header('authorization'), keys);
      if (index < 0)
        throw new GatewayError(
          401,
          'Missing or invalid API key: send Authorization: Bearer <key>',
          'invalid_request_error',
          'invalid_api_key',
        );
      context.set('client', `key:${index}`);
    } else {
      context.set('client', 'anonymous');
    }
    await next();
  });
  app.use('/v1/images/generations', protect);
  app.use('/v1/models', protect);
  app.use('/v1/jobs/*', protect);

  app.post(
    '/v1/images/generations',
    bodyLimit({
      maxSize: options.maxBodyBytes ?? 64 * 1024,
      onError: () => {
        throw new GatewayError(413, 'The request body is too large', 'invalid_request_error', 'request_too_large');
      },
    }),
    async (context, next) => {
      // The body first (Hono keeps it for the handler): a client that sends headers and then
      // stalls must not spend tokens of the bucket it shares with others.
      await context.req.text();
      if (limiter) {
        const verdict = await limiter.take(context.get('client'));
        if (!verdict.allowed) {
          throw new GatewayError(
            429,
            'Rate limit exceeded for this API key, retry later',
            'rate_limit_error',
            'rate_limit_exceeded',
            null,
            {
              'retry-after': String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))),
            },
          );
        }
      }
      await next();
    },
    (context) => (prefersAsync(context) ? startJob(context, generations, jobs) : generationsRoute(context)),
  );
  app.get('/v1/jobs/:id', jobHandler(jobs));
  app.get('/v1/images/:file', imageHandler(storage, Math.floor(imageMaxAgeMs / 1000)));
  app.get('/v1/models', (context) =>
    context.json({
      object: 'list',
      data: Object.keys(MODEL_ALIASES).map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: defaultModels[id] ? 'imagegen' : 'cloudflare',
      })),
    }),
  );
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.get('/readyz', readinessHandler(generator.settings, redis, storage));
  app.get('/metrics', async (context) =>
    context.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }),
  );
  app.get('/openapi.json', (context) => context.json(openApiDocument(version)));

  app.notFound((context) =>
    context.json(
      {
        error: {
          message: `Unknown route: ${context.req.method} ${context.req.path}`,
          type: 'invalid_request_error',
          param: null,
          code: 'not_found',
        },
      },
      404,
    ),
  );
  app.onError((error, context) => {
    const known =
      error instanceof GatewayError
        ? error
        : error instanceof HTTPException
          ? new GatewayError(error.status, error.message || 'Bad request', error.status >= 500 ? 'server_error' : 'invalid_request_error')
          : undefined;
    if (!known) {
      logger.error({ reqId: context.get('requestId'), err: { name: error.name, message: error.message } }, 'unexpected error');
      return context.json({ error: { message: 'Internal server error', type: 'server_error', param: null, code: 'internal_error' } }, 500);
    }
    for (const [name, value] of Object.entries(known.headers)) context.header(name, value);
    return context.json(known.body(), known.status);
  });

  let closing: Promise<void> | undefined;
  return Object.assign(app, {
    generator,
    metrics,
    queue,
    storage,
    worker,
    inFlight: () => active,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        await queue.idle();
        // Drains: no new jobs, the active ones finish (their requests may be another gateway's).
        await worker?.close();
        await queue.close();
        await generator.close();
        await storage.close();
        await redis?.quit().catch(() => redis.disconnect());
      })()),
  });
}
