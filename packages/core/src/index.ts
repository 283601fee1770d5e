// The public API of @imagegen/core, the part under the semver promise: the generator and its
// options and results, the typed error, settings, the catalogue and its inputs, the route
// registry (to add a route), the ports a runtime implements (transport, store, clock, logger,
// codec, result cache, limiter) and the checks an adapter runs before a call (prompt, inputs,
// images, output). What the sibling packages share besides (request bodies, error plumbing,
// byte helpers, the cache key) is in `@imagegen/core/internal`, with no such promise.
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
export type { ErrorCode, ImageGenerationErrorInit } from './errors.js';
export type { GenerationFailure, GenerationResult, GenerationSuccess } from './result.js';
export { generateWithFallbacks, paramsTakenBy, parseFallbacks, triesNextModel } from './fallbacks.js';
export type { ChainResult } from './fallbacks.js';
export { callCost, costText, formatNeurons, formatUsd, imageCost, NO_COST, tilesOf, totalCost } from './cost.js';
export type { CallCostInputs, CostInputs, ImageCost } from './cost.js';
export { FREE_NEURONS_PER_DAY, MODEL_PRICES, USD_PER_NEURON } from './catalogue/prices.js';
export type { ModelPrice } from './catalogue/prices.js';
export { hasRemoteRoute, loadSettings, DEFAULT_AI_GATEWAY_BASE_URL, DEFAULT_API_BASE_URL, DEFAULT_OUTPUT_DIR } from './settings.js';
export type { Settings } from './settings.js';
export type { RetryEvent, RetryOptions } from './retry.js';
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
export { workerSettings } from './routes/route.js';
export type { WorkersAiBinding } from './routes/workers-ai-binding.js';
export type { ErrorFormat, ImageRoute, RouteCall, RouteSetting } from './routes/route.js';
export { promptProblem, DEFAULT_MAX_PROMPT_LENGTH } from './prompt.js';
export { issueText, paramsIssue, rangeText, takesInput } from './params.js';
export { INPUTS, inputFlag, inputJsonName } from './catalogue/inputs.js';
export type { InputDefinition } from './catalogue/inputs.js';
export { DEFAULT_MAX_INPUT_IMAGE_BYTES, inputImagesProblem, MAX_INPUT_IMAGE_SIDE } from './input-image.js';
export { outputIssue } from './output-format.js';
export type { OutputIssue, OutputNames } from './output-format.js';
export type { InputImages } from './input-image.js';
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
