// Shared by imagegen's own packages (the CLI, the gateway, the workers, the bench): request
// bodies, error plumbing, byte helpers, the result cache's key. Not part of the semver promise
// of @imagegen/core: it may change in any release. Applications use '@imagegen/core'.
export { ErrorFactory, imageError } from './error-factory.js';
export type { ErrorDetails } from './error-factory.js';
export { resolveRetryPolicy, retryDelayMs, shouldRetry } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { retryAfterMs } from './retry-timing.js';
export { workersAiForm } from './routes/workers-ai-form.js';
export { randomSeed } from './routes/random-seed.js';
export { cloudflareMeaning } from './cloudflare-errors.js';
export { bindingErrorCode, bindingFailure, readBindingAnswer } from './binding-answer.js';
export type { BindingImage } from './binding-answer.js';
export type { CloudflareFailure } from './cloudflare-errors.js';
export { sniffImage, isCompleteImage } from './sniff.js';
export type { ImageFormat } from './sniff.js';
export { imageFileName, newRequestId } from './file-name.js';
export { cacheProblem } from './gateway-options.js';
export { paramsProblem, workersAiImages, workersAiInputs } from './params.js';
export { inputTypeProblem } from './catalogue/inputs.js';
export { schemaTakesSeed } from './catalogue/model-spec.js';
export { inputImageList } from './input-image.js';
export { prepareInputImages } from './input-preparation.js';
export type { Prepared, PreparationPorts } from './input-preparation.js';
export { outputProblem } from './output-format.js';
export { imageSize } from './image-size.js';
export type { ImageSize } from './image-size.js';
export { decodeBase64, encodeBase64 } from './bytes.js';
export { isResultCacheKey, resultCacheKey, sha256Hex } from './result-cache-key.js';
export type { CacheKeyParts } from './result-cache-key.js';
export { unknownFieldText } from './catalogue/unknown-field.js';
export { MIN_SECRET_LENGTH } from './settings.js';
