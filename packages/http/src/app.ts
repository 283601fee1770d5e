import { createRequire } from 'node:module';
import type { ImageGenerator } from '@imagegen/core';
import type { Hono } from 'hono';
import { gatewayConfig } from './gateway-config.js';
import { createGatewayApp } from './gateway-app.js';
import type { GatewayOptions } from './gateway-options.js';
import { openResources } from './gateway-resources.js';
import type { GatewayMetrics } from './metrics.js';
import { telemetryOf } from './metrics.js';
import type { QueueWorker } from './queue/bullmq-worker.js';
import type { WorkQueue } from './queue/work-queue.js';
import type { GatewayEnv } from './request-context.js';
import { readinessCheck } from './routes/health.js';
import { KeyRpm } from './budgets/key-rpm.js';
import { TokenBucketLimiter } from './rate-limit.js';
import { RedisRateLimiter } from './redis-rate-limit.js';
import type { ImageStorage } from './storage/image-storage.js';

export type { GatewayOptions } from './gateway-options.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

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

/**
 * Creates the OpenAI-compatible gateway as a Hono app, in Node: `POST /v1/images/generations`,
 * `GET /v1/images/{file}`, `GET /v1/models`, `/healthz`, `/readyz`, `/metrics`,
 * `/openapi.json`. Its settings come from `options`, then the environment,
 * its resources (generator, queue, storage, Redis) are opened here; mount it with `app.route()`
 * or serve `app.fetch`. Where Node is not (workerd), `createGatewayApp` from
 * `@imagegen/http/app` takes the parts ready-made.
 *
 * @example
 * import { createApp } from '@imagegen/http';
 * import { serve } from '@hono/node-server';
 *
 * const app = createApp({ keys: ['my-secret-key'] });
 * serve({ fetch: app.fetch, port: 8080 });
 */
export function createApp(options: GatewayOptions = {}): GatewayApp {
  const config = gatewayConfig(options, options.env ?? process.env);
  const resources = openResources(config, options);
  const { generator, storage, metrics, queue } = resources;
  const { app, inFlight } = createGatewayApp({
    ...resources,
    keys: config.keys,
    keyEntries: config.keyEntries,
    fallbacks: config.fallbacks,
    ...(resources.budgets ? { budgets: resources.budgets } : {}),
    keyRpm: new KeyRpm((bucket) => (resources.redis ? new RedisRateLimiter(resources.redis, bucket) : new TokenBucketLimiter(bucket))),
    telemetry: telemetryOf(metrics),
    readiness: readinessCheck(generator.settings, storage, resources.redisAnswers),
    maxWaiting: config.maxWaiting,
    maxBodyBytes: config.maxBodyBytes,
    imageMaxAgeMs: config.imageMaxAgeMs,
    cors: config.cors,
    allowedOrigins: config.allowedOrigins,
    metricsPublic: config.metricsPublic,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    version,
    mcp: async (parts) => {
      const [{ mcpRoute }, { sharpCodec }] = await Promise.all([import('./mcp/mcp-route.js'), import('@imagegen/core/node')]);
      return mcpRoute({ ...parts, codec: sharpCodec() });
    },
  });
  return Object.assign(app, {
    generator,
    metrics,
    queue,
    storage,
    worker: resources.worker,
    inFlight: () => inFlight.active,
    close: resources.close,
  });
}
