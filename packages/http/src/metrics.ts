import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of their own (several apps may share a process). */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  generationSeconds: Histogram<'model' | 'outcome'>;
  upstreamAttempts: Counter<'model'>;
  upstreamRetries: Counter<'model'>;
}

/** Creates the metrics; `queueDepth` is read at scrape time. */
export function createMetrics(queueDepth: () => { waiting: number; running: number }): GatewayMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'imagegen_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] });
  const generationSeconds = new Histogram({
    name: 'imagegen_generation_duration_seconds',
    help: 'Generation latency, upstream retries included',
    labelNames: ['model', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80],
    registers: [registry],
  });
  const upstreamAttempts = new Counter({ name: 'imagegen_upstream_attempts_total', help: 'HTTP attempts to the workers', labelNames: ['model'] as const, registers: [registry] });
  const upstreamRetries = new Counter({ name: 'imagegen_upstream_retries_total', help: 'Retries of upstream attempts', labelNames: ['model'] as const, registers: [registry] });
  new Gauge({
    name: 'imagegen_queue_depth',
    help: 'Generations waiting for a slot',
    registers: [registry],
    collect() {
      this.set(queueDepth().waiting);
    },
  });
  new Gauge({
    name: 'imagegen_generations_active',
    help: 'Generations running',
    registers: [registry],
    collect() {
      this.set(queueDepth().running);
    },
  });
  return { registry, requests, generationSeconds, upstreamAttempts, upstreamRetries };
}
