/**
 * What the gateway reports as it works, apart from how it is kept: Prometheus metrics in Node
 * (`telemetryOf(createMetrics(...))`), or nothing where prom-client does not run.
 */
export interface GatewayTelemetry {
  /** One HTTP request answered. */
  request(route: string, method: string, status: number): void;
  /** One image made (`outcome` 'ok') or failed (the error code), with its latency in seconds. */
  generation(model: string, outcome: string, seconds: number): void;
  /** One image answered from the result cache (no upstream call). */
  cacheHit?(model: string): void;
  /** What one image cost in US dollars, by model and by the key that asked. */
  cost?(model: string, key: string, usd: number): void;
  /** The metrics in Prometheus' text format for `GET /metrics`; without it the route answers 404. */
  scrape?(): Promise<{ body: string; contentType: string }>;
}

/** Reports nothing. */
export const noTelemetry: GatewayTelemetry = { request: () => {}, generation: () => {} };
