// The public API of @imagegen/http, under the semver promise: the gateway (`createApp`, `serve`)
// and its options, its error type, and the ports it runs on that a deployment picks or implements
// (image storage, result cache, rate limiter, job and idempotency stores, work queue and queue
// worker, upstream limiter, telemetry, readiness). The wiring the CLI shares with the gateway
// (settings from the environment, queue plumbing, error mapping) is in `@imagegen/http/internal`,
// with no such promise; the portable route table is `@imagegen/http/app`.
export { createApp } from './app.js';
export type { GatewayApp, GatewayOptions } from './app.js';
export { serve } from './serve.js';
export type { RunningGateway, ServeOptions } from './serve.js';
export { GatewayError } from './openai-error.js';
export type { GatewayErrorInit, OpenAiErrorBody } from './openai-error.js';
export { TokenBucketLimiter } from './rate-limit.js';
export type { RateLimiter, TokenBucketOptions } from './rate-limit.js';
export type { QueueStats, WorkQueue } from './queue/work-queue.js';
export { BullMqWorkQueue } from './queue/bullmq-queue.js';
export type { BullMqWorkQueueOptions } from './queue/bullmq-queue.js';
export { createQueueWorker } from './queue/bullmq-worker.js';
export type { QueueWorker, QueueWorkerOptions } from './queue/bullmq-worker.js';
export { LocalImageStorage } from './storage/local-image-storage.js';
export { S3ImageStorage } from './storage/s3-image-storage.js';
export type { S3ImageStorageOptions } from './storage/s3-image-storage.js';
export { S3ResultCache } from './storage/s3-result-cache.js';
export type { S3ResultCacheOptions } from './storage/s3-result-cache.js';
export type { ImageStorage, OpenedImage } from './storage/image-storage.js';
export { openApiDocument } from './openapi.js';
export { InMemoryJobStore } from './job-store.js';
export type { JobRecord, JobStatus, JobStore } from './job-store.js';
export { RedisRateLimiter } from './redis-rate-limit.js';
export { RedisJobStore } from './redis-job-store.js';
export { RedisUpstreamLimiter } from './redis-upstream-limiter.js';
export type { RedisUpstreamLimiterOptions } from './redis-upstream-limiter.js';
export { RedisIdempotencyStore } from './redis-idempotency-store.js';
export { InMemoryIdempotencyStore } from './idempotency-store.js';
export type { IdempotencyClaim, IdempotencyStore, StoredAnswer } from './idempotency-store.js';
export type { GatewayTelemetry } from './telemetry.js';
export { readinessCheck } from './routes/health.js';
export type { Readiness } from './routes/health.js';
