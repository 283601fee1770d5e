import type { ImageGenerator } from '@imagegen/core';
import type { NodeImageGeneratorOptions } from '@imagegen/core/node';
import type { Logger } from 'pino';
import type { JobStore } from './job-store.js';
import type { QueueSettings } from './queue/queue-settings.js';
import type { RateLimiter, TokenBucketOptions } from './rate-limit.js';
import type { ImageStorage } from './storage/image-storage.js';

/** Options of {@link createApp}; every one has a default. */
export interface GatewayOptions {
  /** The generator to use; built with `createImageGenerator(generatorOptions)` when absent. `close()` closes it. */
  generator?: ImageGenerator;
  generatorOptions?: NodeImageGeneratorOptions;
  /** Where settings come from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Bearer keys clients must send on every route but `/healthz`, `/readyz`, `/openapi.json` and
   * the images, each of at least 8 characters. @default IMAGEGEN_GATEWAY_KEYS (comma separated);
   * none: no auth, and only requests to loopback names from this machine's pages are answered
   */
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
  /**
   * CORS origins, or false for no CORS headers; a keyless gateway also answers these origins'
   * pages. @default IMAGEGEN_CORS_ORIGINS (comma separated), else none
   */
  cors?: { origin: string | string[] } | false;
  /** Serve `/metrics` without a key when keys are set. @default false (IMAGEGEN_METRICS_PUBLIC=1) */
  metricsPublic?: boolean;
  /**
   * The base of `url` answers (when behind a proxy), or a function that gives it; never taken from
   * the request's Host. @default IMAGEGEN_PUBLIC_URL, else the address `serve` is bound to
   */
  publicUrl?: string | (() => string | undefined);
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
