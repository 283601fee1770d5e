// Shared by imagegen's own packages (the CLI's serve and queue-worker, the bench): settings read
// from the environment, queue plumbing, error mapping, the gateway's assembly. Not part of the
// semver promise of @imagegen/http: it may change in any release.
export { gatewayErrorFor } from './error-mapping.js';
export { createInProcessQueue } from './queue/in-process-queue.js';
export type { InProcessQueueOptions } from './queue/in-process-queue.js';
export { performWork, workError } from './queue/image-work.js';
export type { ImageWork, PerformOptions, WorkError, WorkOutcome } from './queue/image-work.js';
export { configuredModels } from './queue/configured-models.js';
export { queueSettingsFromEnv, QUEUE_PREFIX } from './queue/queue-settings.js';
export type { QueueSettings } from './queue/queue-settings.js';
export { imageStorageFromEnv, resultCacheFromS3Env } from './storage/storage-from-env.js';
export { contentTypeOf } from './storage/image-storage.js';
export { MODEL_ALIASES } from './schemas.js';
export type { GenerationRequest } from './schemas.js';
export { keyMatcher, parseGatewayKeys } from './auth.js';
export { openUpstreamLimiter, upstreamLimiterFromEnv } from './upstream-limiter-from-env.js';
export { IDEMPOTENCY_TTL_MS } from './idempotency-store.js';
export { canReachRedis, redisAnswers } from './redis-reachable.js';
export { createGatewayApp } from './gateway-app.js';
export type { GatewayParts } from './gateway-app.js';
export { gatewayConfig } from './gateway-config.js';
export type { GatewayConfig } from './gateway-config.js';
export { openResources } from './gateway-resources.js';
export type { GatewayResources } from './gateway-resources.js';
export { noTelemetry } from './telemetry.js';
export { telemetryOf } from './metrics.js';
export { needsKeys } from './serve.js';
export { isLoopbackHost } from './middlewares/local-only.js';
export { usageFromEnv } from './budgets/usage-from-env.js';
