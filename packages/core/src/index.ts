export { ImageGenerator } from './image-generator.js';
export { DEFAULT_MAX_IMAGE_BYTES } from './generator-options.js';
export type {
  AttemptDoneEvent,
  AttemptEvent,
  GenerateOptions,
  GenerationHooks,
  GeneratorRetryEvent,
  ImageGeneratorOptions,
  ImageSource,
  Timeouts,
} from './generator-options.js';
export { ImageGenerationError, ERROR_CODES } from './errors.js';
export { ErrorFactory, imageError } from './error-factory.js';
export type { ErrorDetails } from './error-factory.js';
export type { ErrorCode, ImageGenerationErrorInit } from './errors.js';
export type { GenerationFailure, GenerationResult, GenerationSuccess } from './result.js';
export { hasRemoteRoute, loadSettings, DEFAULT_AI_GATEWAY_BASE_URL, DEFAULT_API_BASE_URL, DEFAULT_OUTPUT_DIR } from './settings.js';
export type { Settings } from './settings.js';
export { resolveRetryPolicy, retryDelayMs, shouldRetry } from './retry.js';
export type { RetryEvent, RetryOptions, RetryPolicy } from './retry.js';
export { retryAfterMs } from './retry-timing.js';
export { catalogueImageModel, defaultModels, flux, sdxl } from './models/index.js';
export type {
  CacheOptions,
  GenerationParams,
  ImageModel,
  ModelName,
  ModelNotConfigured,
  ModelRequest,
  ModelRequestRefused,
  Route,
} from './models/index.js';
export { catalogue, findModel } from './catalogue/catalogue.js';
export { CATALOGUE_CHECKED } from './catalogue/model-spec.js';
export type { AnswerSpec, CatalogueModel, ImageInputSpec, InputName, InputSpec } from './catalogue/model-spec.js';
export { chooseRoute } from './routes/route-choice.js';
export { RouteRegistry, routeRegistry } from './routes/registry.js';
export type { ErrorFormat, ImageRoute, RouteCall, RouteSetting } from './routes/route.js';
export { workersAiForm } from './routes/workers-ai-form.js';
export { randomSeed } from './routes/random-seed.js';
export { cloudflareMeaning } from './cloudflare-errors.js';
export type { CloudflareFailure } from './cloudflare-errors.js';
export { sniffImage, isCompleteImage } from './sniff.js';
export type { ImageFormat } from './sniff.js';
export { imageFileName, newRequestId } from './file-name.js';
export { promptProblem, DEFAULT_MAX_PROMPT_LENGTH } from './prompt.js';
export { cacheProblem, issueText, paramsIssue, paramsProblem, rangeText, takesInput, workersAiImages, workersAiInputs } from './params.js';
export { INPUTS, inputFlag, inputJsonName, inputTypeProblem } from './catalogue/inputs.js';
export type { InputDefinition } from './catalogue/inputs.js';
export { unknownFieldText } from './catalogue/unknown-field.js';
export { DEFAULT_MAX_INPUT_IMAGE_BYTES, inputImageList, inputImagesProblem, MAX_INPUT_IMAGE_SIDE } from './input-image.js';
export { prepareInputImages } from './input-preparation.js';
export type { Prepared, PreparationPorts } from './input-preparation.js';
export { outputIssue, outputProblem } from './output-format.js';
export type { OutputIssue, OutputNames } from './output-format.js';
export type { InputImages } from './input-image.js';
export { imageSize } from './image-size.js';
export type { ImageSize } from './image-size.js';
export { decodeBase64, encodeBase64 } from './bytes.js';
export type { ParamIssue } from './params.js';
export { systemClock } from './clock.js';
export { silentLogger } from './logger.js';
export { MemoryStore } from './memory-store.js';
export type {
  Clock,
  Fetch,
  FileStore,
  FileStoreWriteOptions,
  ImageCodec,
  ImageFileReader,
  CachedImage,
  ResultCache,
  Logger,
  OutputFormat,
  Transport,
  TransportRequest,
  TransportResponse,
} from './ports.js';
export { fetchTransport } from './fetch-transport.js';
export { AdaptiveLimiter } from './limiter/adaptive-limiter.js';
export type { AdaptiveLimiterOptions } from './limiter/adaptive-limiter.js';
export { AdaptiveLimiters } from './limiter/adaptive-limiters.js';
export type { AttemptOutcome, LimiterState, UpstreamLimiter, UpstreamPermit } from './limiter/upstream-limiter.js';
export { isResultCacheKey, resultCacheKey, sha256Hex } from './result-cache-key.js';
export type { CacheKeyParts } from './result-cache-key.js';
