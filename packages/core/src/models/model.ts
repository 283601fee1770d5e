import type { ImageInputSpec, InputSpec } from '../catalogue/model-spec.js';
import type { ErrorCode } from '../errors.js';
import type { ErrorFormat } from '../routes/route.js';
import type { Settings } from '../settings.js';

/** Optional generation parameters; a model takes those its catalogue entry lists. */
export interface GenerationParams {
  seed?: number;
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  negativePrompt?: string;
  /** How far to move from the input image, 0-1 (image-to-image models). */
  strength?: number;
  /** A partner model's quality tier (`low`, `medium`, `high`, `auto`: the gpt-image models' `quality`). */
  qualityTier?: string;
  /** The shape of the image (`16:9`), for the models that take a ratio instead of a size (imagen-4's `aspect_ratio`). */
  aspectRatio?: string;
  /**
   * An image to start from, PNG, JPEG or WebP bytes (models that take one), or several
   * reference images for the models that take them (FLUX.2: up to 4).
   */
  image?: Uint8Array | readonly Uint8Array[];
  /** Where to redraw (white) in `image`, of its size (models that take a mask). */
  mask?: Uint8Array;
}

/**
 * AI Gateway's per-call controls; only the `ai-gateway` route takes them.
 * https://developers.cloudflare.com/ai-gateway/glossary/
 */
export interface CacheOptions {
  /** Seconds AI Gateway may serve this answer from its cache, 60 to 2,592,000 (`cf-aig-cache-ttl`). */
  cacheTtl?: number;
  /** True to bypass AI Gateway's cache for this call (`cf-aig-skip-cache`). */
  skipCache?: boolean;
  /** The cache key of this call in place of AI Gateway's own (`cf-aig-cache-key`). */
  cacheKey?: string;
  /** Up to five entries (strings, numbers, booleans) logged with the call (`cf-aig-metadata`). */
  metadata?: Readonly<Record<string, string | number | boolean>>;
  /** Milliseconds AI Gateway waits for the first byte of the answer before failing it (`cf-aig-request-timeout`). */
  requestTimeoutMs?: number;
}

/**
 * How a model was reached: a worker, the Workers AI REST API, AI Gateway, the local preview, or
 * the name of a route added to the registry.
 */
export type Route = 'worker' | 'rest' | 'ai-gateway' | 'local' | (string & {});

/** The request a model builds for one prompt; sent as is over the injected transport. */
export interface ModelRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A body that can be sent again on a retry (a string, bytes or a form; never a stream). */
  body?: string | Uint8Array<ArrayBuffer> | FormData;
  /** Which way this request goes. */
  route: Route;
  /** How its error answers read (set from the route that built it). @default 'worker' on the `worker` route, else 'cloudflare' */
  errorFormat?: ErrorFormat;
  /** The seed this request sends, if any. */
  seed?: number;
  /** The answer is JSON naming the image's URL (the partner models): the image is downloaded from it. */
  answersUrl?: boolean;
  /**
   * A run answered in this process by the Workers AI binding (the `binding` route), as `env.AI.run`
   * takes it: the model, its input (a form for FLUX.2, turned into a stream at each attempt) and
   * AI Gateway's options. No body is serialised for it.
   */
  run?: BindingRun;
  /**
   * Workers AI fields it sends that the model's published schema does not list, because the
   * caller set them by name (flux-1-schnell's `seed`): a refusal then says so plainly.
   */
  offSchema?: readonly string[];
  /** Messages of this route's own for some codes (the SDXL worker says "SDXL API key ..."). */
  messages?: Partial<Record<ErrorCode, string>>;
}

/** A missing setting that keeps a model from being called. */
export interface ModelNotConfigured {
  notConfigured: string;
}

/** A request that can't be made as asked (a cache option on a route without a cache). */
export interface ModelRequestRefused {
  refused: string;
}

/**
 * One image model: what it takes, how to build its request, the messages of its own. The
 * catalogue's models are built by `catalogueImageModel`; any object of this shape works.
 */
export interface ImageModel {
  /** The short name used in file names, results and the CLI (`flux`, `lucid-origin`). */
  name: string;
  /** The Workers AI id, accepted wherever the alias is. */
  workersAiName: string;
  /** The inputs it takes, with their ranges. */
  inputs: readonly InputSpec[];
  /** The input image it takes, when it takes one. */
  imageInput?: ImageInputSpec;
  /** The sizes it draws, when width and height go together as one of them (`1024x1536`). */
  sizes?: readonly string[];
  /** Its longest prompt, in characters (the generator's `maxPromptLength` may lower it). */
  maxPromptLength?: number;
  /** The request for `prompt` (by the route named `route` when given), or what is missing from the settings. */
  buildRequest(
    settings: Settings,
    prompt: string,
    params: GenerationParams,
    cache?: CacheOptions,
    route?: string,
  ): ModelRequest | ModelNotConfigured | ModelRequestRefused;
  /** Messages that replace the default ones for some codes. */
  messages?: Partial<Record<ErrorCode, string>>;
  /** Secrets of its own that must never appear in a message or log (the routes' secrets are redacted anyway). */
  secrets?(settings: Settings): string[];
}

/** One `env.AI.run` call of the binding route. */
export interface BindingRun {
  model: string;
  input: Record<string, unknown> | FormData;
  /** AI Gateway's per-call options, as the binding's `gateway` option takes them. */
  gateway?: Record<string, unknown>;
}
