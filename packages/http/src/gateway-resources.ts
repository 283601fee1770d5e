import { defaultModels, type GenerationHooks, type ImageGenerator, type UpstreamLimiter } from '@imagegen/core';
import { createImageGenerator } from '@imagegen/core/node';
import { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import type { GatewayConfig } from './gateway-config.js';
import type { GatewayOptions } from './gateway-options.js';
import { InMemoryJobStore, type JobStore } from './job-store.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { BullMqWorkQueue } from './queue/bullmq-queue.js';
import { createQueueWorker, type QueueWorker } from './queue/bullmq-worker.js';
import { configuredModels } from './queue/configured-models.js';
import { createInProcessQueue } from './queue/in-process-queue.js';
import type { WorkQueue } from './queue/work-queue.js';
import { type RateLimiter, TokenBucketLimiter } from './rate-limit.js';
import { InMemoryIdempotencyStore, type IdempotencyStore } from './idempotency-store.js';
import { RedisIdempotencyStore } from './redis-idempotency-store.js';
import { RedisJobStore } from './redis-job-store.js';
import { upstreamLimiterFromEnv } from './upstream-limiter-from-env.js';
import { RedisRateLimiter } from './redis-rate-limit.js';
import { redisAnswers } from './redis-reachable.js';
import type { ImageStorage } from './storage/image-storage.js';
import { imageStorageFromEnv, resultCacheFromS3Env } from './storage/storage-from-env.js';
import { join } from 'node:path';
import type { BudgetGuard } from './budgets/budget-guard.js';
import { FileBudgetStore } from './budgets/file-budget-store.js';
import { RedisBudgetStore } from './budgets/redis-budget-store.js';

/** What a Node gateway holds open: made from its config, closed by one `close()`. */
export interface GatewayResources {
  generator: ImageGenerator;
  logger: Logger;
  redis: Redis | undefined;
  queue: WorkQueue;
  /** This process's queue worker, when it takes jobs from the shared queue. */
  worker: QueueWorker | undefined;
  storage: ImageStorage;
  limiter: RateLimiter | undefined;
  jobs: JobStore;
  /** Idempotency-Key answers: in Redis when there is one (any gateway answers a repeated key). */
  idempotency: IdempotencyStore;
  metrics: GatewayMetrics;
  /** Per-key spend (IMAGEGEN_KEYS_FILE): in Redis when there is one, else a file beside the images. */
  budgets: BudgetGuard | undefined;
  /** Whether Redis answers (when there is one), for /readyz. */
  redisAnswers: (() => Promise<boolean>) | undefined;
  /** Stops the sweeper, lets queued work finish, then closes the worker, queue, generator, storage and Redis. */
  close: () => Promise<void>;
}

/** Opens Redis once and logs a new connection problem once (ioredis reports every failed try). */
function openRedis(url: string, logger: Logger): Redis {
  // Every command answers within 1 s or fails: a Redis that stops answering makes each seam
  // (rate limit, budgets, idempotency, jobs) fail fast with its own named error, never hang.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000 });
  let lastError: string | undefined;
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) logger.warn({ err: { message: error.message } }, 'Redis connection error');
    lastError = error.message;
  });
  redis.on('ready', () => (lastError = undefined));
  return redis;
}

/**
 * Makes what the gateway runs on in Node: with IMAGEGEN_REDIS_URL the work (BullMQ), the rate
 * limit and the asynchronous jobs are shared by every process that reaches the same Redis;
 * without it, all of them live in this process.
 *
 * @example
 * const resources = openResources(gatewayConfig({}, process.env), { env: process.env });
 * await resources.close();
 */
export function openResources(config: GatewayConfig, options: GatewayOptions): GatewayResources {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ level: config.logLevel }, pino.destination(2));
  const redis = config.queue ? openRedis(config.queue.redisUrl, logger) : undefined;
  // Unless IMAGEGEN_ADAPTIVE=0, the generator paces each upstream to its limit (IMAGEGEN_MAX_RATE caps it), on one
  // schedule with every process of the same Redis.
  let upstreamLimiter: UpstreamLimiter | undefined;
  let generator: ImageGenerator;
  try {
    upstreamLimiter = options.generator ? undefined : upstreamLimiterFromEnv(env, redis);
    const resultCache = options.generator ? undefined : resultCacheFromS3Env(env);
    generator =
      options.generator ??
      createImageGenerator({
        env,
        ...(upstreamLimiter ? { limiter: upstreamLimiter } : {}),
        ...(resultCache ? { resultCache } : {}),
        ...options.generatorOptions,
      });
  } catch (error) {
    // A setting refused: the Redis connection must not keep the process alive.
    redis?.disconnect();
    throw error;
  }
  const storage = options.storage ?? imageStorageFromEnv(env, generator.settings.outputDir, config.imageMaxAgeMs);
  const models = Object.keys(defaultModels);
  // The metrics read the queue at scrape time only, so they can be made before it.
  const metrics = createMetrics({
    stats: () => queue.stats(),
    limiterWaits: () => queue.limiterWaits?.() ?? Promise.resolve({}),
    limiterStates: () => upstreamLimiter?.states() ?? {},
  });
  const hooks = (model: string): GenerationHooks => ({
    onAttempt: () => metrics.upstreamAttempts.inc({ model }),
    onAttemptDone: ({ route, outcome }) => metrics.upstreamRequests.inc({ model, route, outcome }),
    onRetry: () => metrics.upstreamRetries.inc({ model }),
  });
  const queue: WorkQueue & { limiterWaits?: () => Promise<Record<string, number>> } = config.queue
    ? new BullMqWorkQueue({
        settings: config.queue,
        models,
        maxWaiting: config.maxWaiting,
        onStalled: (model) => metrics.stalledJobs.inc({ model }),
      })
    : createInProcessQueue({ generator, storage, concurrency: config.concurrency, maxWaiting: config.maxWaiting, hooks });
  const worker =
    config.queue && config.takeJobs
      ? createQueueWorker({
          settings: config.queue,
          generator,
          storage,
          models: configuredModels(generator.settings),
          concurrency: config.concurrency,
          hooks,
          onStart: (model, waitedMs) => metrics.queueWaitSeconds.observe({ model }, waitedMs / 1000),
        })
      : undefined;
  const bucket = config.rateLimit;
  const limiter =
    bucket === undefined || 'take' in bucket ? bucket : redis ? new RedisRateLimiter(redis, bucket) : new TokenBucketLimiter(bucket);
  const jobs = options.jobs ?? (redis ? new RedisJobStore(redis, config.jobTtlMs) : new InMemoryJobStore(config.jobTtlMs));
  const idempotency = redis ? new RedisIdempotencyStore(redis) : new InMemoryIdempotencyStore();
  const budgetsFile = env.IMAGEGEN_BUDGETS_FILE?.trim() || join(generator.settings.outputDir, '.imagegen-budgets.json');
  const budgets =
    config.keyEntries.length === 0 ? undefined : { store: redis ? new RedisBudgetStore(redis) : new FileBudgetStore(budgetsFile) };
  const sweeper = setInterval(() => void storage.sweep().catch(() => {}), Math.min(config.imageMaxAgeMs, 60_000));
  sweeper.unref?.();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sweeper);
      await queue.idle();
      // Drains: no new jobs, the active ones finish (their requests may be another gateway's).
      await worker?.close();
      await queue.close();
      await generator.close();
      await storage.close();
      await redis?.quit().catch(() => redis.disconnect());
    })());
  return {
    generator,
    logger,
    redis,
    queue,
    worker,
    storage,
    limiter,
    jobs,
    idempotency,
    budgets,
    metrics,
    redisAnswers: redis ? () => redisAnswers(redis, 2000) : undefined,
    close,
  };
}
