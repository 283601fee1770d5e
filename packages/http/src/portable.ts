// `@imagegen/http/app`: the gateway's route table and the parts that run wherever Hono does
// (workerd, Bun, Deno, Node). Nothing here imports a Node module, Redis, BullMQ or the AWS SDK.
export { createGatewayApp } from './gateway-app.js';
export type { GatewayParts } from './gateway-app.js';
export { createInProcessQueue } from './queue/in-process-queue.js';
export type { InProcessQueueOptions } from './queue/in-process-queue.js';
export type { QueueStats, WorkQueue } from './queue/work-queue.js';
export { InMemoryJobStore } from './job-store.js';
export { IDEMPOTENCY_TTL_MS, InMemoryIdempotencyStore } from './idempotency-store.js';
export type { IdempotencyClaim, IdempotencyStore, StoredAnswer } from './idempotency-store.js';
export type { JobRecord, JobStatus, JobStore } from './job-store.js';
export { TokenBucketLimiter } from './rate-limit.js';
export type { RateLimiter, TokenBucketOptions } from './rate-limit.js';
export { GatewayError } from './openai-error.js';
export type { OpenAiErrorBody } from './openai-error.js';
export { noTelemetry } from './telemetry.js';
export type { GatewayTelemetry } from './telemetry.js';
export { readinessCheck } from './routes/health.js';
export type { Readiness } from './routes/health.js';
export { contentTypeOf, IMAGE_NAME } from './storage/image-storage.js';
export type { ImageStorage, OpenedImage } from './storage/image-storage.js';
export type { GatewayEnv, GatewayLogger } from './request-context.js';
