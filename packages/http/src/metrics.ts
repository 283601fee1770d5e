import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LimiterState } from '@imagegen/core';
import type { QueueStats } from './queue/work-queue.js';
import type { GatewayTelemetry } from './telemetry.js';

/** What /metrics reads from the queue at scrape time. */
export interface QueueProbe {
  stats(): Promise<QueueStats>;
  /** Milliseconds until each model's shared limiter lets the next job through (BullMQ only). */
  limiterWaits?(): Promise<Record<string, number>>;
  /** The adaptive limiter's state per upstream (route:model), when the generator has one. */
  limiterStates?(): Record<string, LimiterState>;
}

/** The gateway's Prometheus metrics, in a registry of their own (several apps may share a process). */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  generationSeconds: Histogram<'model' | 'outcome'>;
  upstreamAttempts: Counter<'model'>;
  upstreamRetries: Counter<'model'>;
  /** Jobs put back on the queue because the process making them died. */
  stalledJobs: Counter<'model'>;
  /** How long jobs waited in the queue before a worker of this process took them (limiter waits included). */
  queueWaitSeconds: Histogram<'model'>;
  /** Every HTTP attempt to an upstream, by how it ended (`ok` or the error's code). */
  upstreamRequests: Counter<'model' | 'route' | 'outcome'>;
  /** Images answered from the result cache: upstream calls not paid for. */
  cacheHits: Counter<'model'>;
  /** US dollars spent, by each image's model's published price, per model and key. */
  costUsd: Counter<'model' | 'key'>;
}

/** Creates the metrics; the queue is read at scrape time. */
export function createMetrics(queue: QueueProbe): GatewayMetrics {
  const registry = new Registry();
  // The two queue gauges share one read per scrape: with BullMQ each read is a Redis round trip.
  let reading: Promise<QueueStats> | undefined;
  const readStats = (): Promise<QueueStats> => (reading ??= queue.stats().finally(() => (reading = undefined)));
  const requests = new Counter({
    name: 'imagegen_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const generationSeconds = new Histogram({
    name: 'imagegen_generation_duration_seconds',
    help: 'Generation latency, upstream retries included',
    labelNames: ['model', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80],
    registers: [registry],
  });
  const upstreamAttempts = new Counter({
    name: 'imagegen_upstream_attempts_total',
    help: 'HTTP attempts to the workers',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const upstreamRetries = new Counter({
    name: 'imagegen_upstream_retries_total',
    help: 'Retries of upstream attempts',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'imagegen_queue_depth',
    help: 'Images waiting for a worker (every process sharing the queue)',
    registers: [registry],
    async collect() {
      this.set((await readStats()).waiting);
    },
  });
  new Gauge({
    name: 'imagegen_generations_active',
    help: 'Images being made (every process sharing the queue)',
    registers: [registry],
    async collect() {
      this.set((await readStats()).active);
    },
  });
  new Gauge({
    name: 'imagegen_queue_limiter_wait_seconds',
    help: "Time until a model's shared rate limiter lets the next job through",
    labelNames: ['model'] as const,
    registers: [registry],
    async collect() {
      for (const [model, ms] of Object.entries((await queue.limiterWaits?.()) ?? {})) this.set({ model }, ms / 1000);
    },
  });
  const stalledJobs = new Counter({
    name: 'imagegen_queue_stalled_jobs_total',
    help: 'Jobs restarted because the process making them died',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const queueWaitSeconds = new Histogram({
    name: 'imagegen_queue_wait_seconds',
    help: 'Time jobs waited in the queue before this process took them (limiter waits included)',
    labelNames: ['model'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const upstreamRequests = new Counter({
    name: 'imagegen_upstream_requests_total',
    help: 'HTTP attempts to the upstream by model, route and outcome (ok or the error code)',
    labelNames: ['model', 'route', 'outcome'] as const,
    registers: [registry],
  });
  const cacheHits = new Counter({
    name: 'imagegen_cache_hits_total',
    help: 'Images answered from the result cache, with no upstream call',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const costUsd = new Counter({
    name: 'imagegen_cost_usd_total',
    help: "US dollars spent by the models' published prices, by model and key ('key:0' is the first of IMAGEGEN_GATEWAY_KEYS)",
    labelNames: ['model', 'key'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'imagegen_limiter_concurrency',
    help: "The adaptive limiter's attempts allowed at once, per upstream (route:model)",
    labelNames: ['upstream'] as const,
    registers: [registry],
    collect() {
      for (const [upstream, state] of Object.entries(queue.limiterStates?.() ?? {})) this.set({ upstream }, state.concurrency);
    },
  });
  return {
    registry,
    requests,
    generationSeconds,
    upstreamAttempts,
    upstreamRetries,
    stalledJobs,
    queueWaitSeconds,
    upstreamRequests,
    cacheHits,
    costUsd,
  };
}

/** The gateway's telemetry port over these metrics: what the routes report lands in Prometheus. */
export function telemetryOf(metrics: GatewayMetrics): GatewayTelemetry {
  return {
    request: (route, method, status) => metrics.requests.inc({ route, method, status }),
    generation: (model, outcome, seconds) => metrics.generationSeconds.observe({ model, outcome }, seconds),
    cacheHit: (model) => metrics.cacheHits.inc({ model }),
    cost: (model, key, usd) => metrics.costUsd.inc({ model, key }, usd),
    scrape: async () => ({ body: await metrics.registry.metrics(), contentType: metrics.registry.contentType }),
  };
}
