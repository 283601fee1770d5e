import type { WorkersAiBinding } from './routes/workers-ai-binding.js';
import type { ErrorCode } from './errors.js';
import type { CacheOptions, GenerationParams, ImageModel, Route } from './models/model.js';
import type { Clock, Fetch, FileStore, ImageCodec, ImageFileReader, Logger, OutputFormat, ResultCache, Transport } from './ports.js';
import type { UpstreamLimiter } from './limiter/upstream-limiter.js';
import type { RetryEvent, RetryOptions } from './retry.js';
import type { Settings } from './settings.js';

/** Per-attempt time limits, in ms. */
export interface Timeouts {
  /**
   * From sending the request to the response headers.
   * @default 120000
   */
  headersMs?: number;
  /**
   * Longest silence between two chunks of the body.
   * @default 120000
   */
  bodyMs?: number;
}

/** Told before each HTTP attempt. */
export interface AttemptEvent {
  model: string;
  /** 1-based. */
  attempt: number;
  requestId: string;
}

/** Told before each retry's wait. */
export interface GeneratorRetryEvent extends RetryEvent {
  model: string;
  requestId: string;
}

/** Told after each HTTP attempt: which upstream, and how it ended (`ok`, or the error's code). */
export interface AttemptDoneEvent extends AttemptEvent {
  route: Route;
  outcome: 'ok' | ErrorCode;
}

/** Progress callbacks, on the generator or on one call. */
export interface GenerationHooks {
  onAttempt?: (event: AttemptEvent) => void;
  onAttemptDone?: (event: AttemptDoneEvent) => void;
  onRetry?: (event: GeneratorRetryEvent) => void;
}

/** How to build an {@link ImageGenerator}. */
export interface ImageGeneratorOptions extends GenerationHooks {
  settings: Settings;
  /** How requests go out: any WHATWG fetch. Required unless `transport` is given. */
  fetch?: Fetch;
  /** A lower-level way out that replaces `fetch` (the Node runtime's undici transport). */
  transport?: Transport;
  /**
   * The Workers AI binding of the Worker this runs in (`env.AI`): every model goes through it first
   * (the `binding` route), no token needed. `fetch` then defaults to the platform's.
   */
  ai?: WorkersAiBinding;
  /** The AI Gateway (an id) the binding's calls go through, with their per-call options. */
  aiGateway?: string;
  store: FileStore;
  clock?: Clock;
  logger?: Logger;
  retry?: RetryOptions;
  timeouts?: Timeouts;
  /**
   * Largest image accepted, in bytes; the download stops past it.
   * @default 52428800 (50 MiB)
   */
  maxImageBytes?: number;
  /** Longest prompt, in characters; each model's own limit (the catalogue's) applies too. @default the model's (2048) */
  maxPromptLength?: number;
  /**
   * Largest input image or mask accepted, in bytes.
   * @default 10485760 (10 MiB)
   */
  maxInputImageBytes?: number;
  /**
   * Converts answers to `outputFormat` and shrinks input images to what a model takes (FLUX.2:
   * 512x512). The Node entry passes one built on sharp; without one, such calls are refused.
   */
  codec?: ImageCodec;
  /** Reads input images given as paths (the Node entry reads files); without one, paths are refused. */
  readImageFile?: ImageFileReader;
  /**
   * Paces the HTTP attempts to each upstream (a route and a model): `AdaptiveLimiters` finds the
   * account's rate by itself. Without one, every call goes at once (the caller bounds concurrency).
   */
  limiter?: UpstreamLimiter;
  /**
   * Keeps the images of seeded calls: the same model, prompt, inputs and seed again is answered
   * from it (`cached: true`), not paid for twice. Calls without a seed are never cached.
   */
  resultCache?: ResultCache;
  /** The models by alias (their Workers AI ids are accepted too). @default the whole catalogue */
  models?: Readonly<Record<string, ImageModel>>;
  /** Called once by `close()`, after in-flight generations have settled (the Node runtime closes its Agent). */
  onClose?: () => void | Promise<void>;
}

/** An input image: its bytes, or the path of a file (read by the generator's `readImageFile`). */
export type ImageSource = Uint8Array | string;

/** Options of one generation: an abort signal, the model's inputs, AI Gateway's cache, hooks. */
export interface GenerateOptions extends Omit<GenerationParams, 'image' | 'mask'>, CacheOptions, GenerationHooks {
  /** An image to start from (bytes or a path), or several reference images (FLUX.2: up to 4). */
  image?: ImageSource | readonly ImageSource[];
  /** Where to redraw (white) in the image, of its size (bytes or a path). */
  mask?: ImageSource;
  /** The format of the file written; converted (by the codec) when the model answers another. */
  outputFormat?: OutputFormat;
  /** JPEG or WebP quality of the converted image, 1-100 (100: best). Needs `outputFormat` jpeg or webp. */
  outputQuality?: number;
  /** False: neither read nor fill the generator's result cache for this call. @default true */
  cache?: boolean;
  signal?: AbortSignal;
  /** Where this image goes, instead of the generator's store (the gateway keeps `b64_json` images in memory). */
  store?: FileStore;
  /** Overrides the generator's retry options for this call. */
  retry?: RetryOptions;
  /**
   * Extra HTTP headers on each attempt of this call (the AI SDK's `headers`). Headers the route
   * sets itself (its key, AI Gateway's options, the body's type) can't be replaced: such a call is
   * refused. The binding route sends no HTTP request: it ignores them.
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Sends this call by the route of this name only (`rest`, `ai-gateway`, ...; `imagegen doctor`
   * checks each route so), `not_configured` when it is not. @default the first configured route that serves the call
   */
  route?: string;
}

/** Default cap on an image's size: 50 MiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 50 * 1024 * 1024;
/** Default per-attempt limits: 120 s for the headers, 120 s of silence in the body. */
export const DEFAULT_TIMEOUT_MS = 120_000;
