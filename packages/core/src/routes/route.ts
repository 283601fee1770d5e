import type { CatalogueModel } from '../catalogue/model-spec.js';
import type { CacheOptions, GenerationParams, ModelNotConfigured, ModelRequest, ModelRequestRefused } from '../models/model.js';
import type { Settings } from '../settings.js';

/** One environment setting a route reads: `imagegen config` lists it, a secret one is redacted everywhere. */
export interface RouteSetting {
  /** The environment name (`CLOUDFLARE_API_TOKEN`). */
  name: string;
  /** What it holds, in a few words (`imagegen config`, help text). */
  description: string;
  /** Never shown whole: redacted in messages, logs and `imagegen config`. */
  secret?: boolean;
  /** An http(s) URL: anything else is refused when the settings are loaded. */
  url?: boolean;
  /** The values it takes (the first is the default): anything else is refused when the settings are loaded. */
  choices?: readonly string[];
}

/** One call as a route sees it: the model, the settings, the prompt and its inputs. */
export interface RouteCall {
  model: CatalogueModel;
  settings: Settings;
  prompt: string;
  params: GenerationParams;
  cache: CacheOptions;
  /** True when a route later in the list is configured too (a route may leave a call to it). */
  laterRoute: boolean;
}

/** How a route's error answers read: Cloudflare's envelope (REST, AI Gateway, the preview) or a worker's plain status. */
export type ErrorFormat = 'cloudflare' | 'worker';

/**
 * One way a call reaches a model, as one value: the settings that configure it, its secrets, the
 * request it builds, how its errors read, how readiness and `imagegen doctor` check it. The
 * {@link RouteRegistry} orders them; every question "which route" asks it.
 *
 * @example
 * const myRoute: ImageRoute = {
 *   name: 'my-proxy',
 *   label: 'my proxy',
 *   settings: [{ name: 'MY_PROXY_URL', description: 'my proxy', url: true }],
 *   errorFormat: 'worker',
 *   configured: (settings) => Boolean(settings.values.MY_PROXY_URL),
 *   request: ({ model, prompt, settings }) => ({ url: settings.values.MY_PROXY_URL!, method: 'POST', body: JSON.stringify({ model: model.id, prompt }), route: 'my-proxy' }),
 *   readiness: (settings) => ({ url: settings.values.MY_PROXY_URL }),
 *   probe: { model: 'sdxl-lightning' },
 * };
 */
export interface ImageRoute {
  /** Its name in results (`route`), `models`, `/readyz` and `doctor`. */
  name: string;
  /** How people read it (`the Workers AI REST API`). */
  label: string;
  /** The environment settings it reads. */
  settings: readonly RouteSetting[];
  /** False for a route on this machine: with no other route configured, imagegen starts the local preview. @default true */
  remote?: boolean;
  errorFormat: ErrorFormat;
  /** True when these settings select this route (it may still answer "not configured" for a missing key). */
  configured(settings: Settings): boolean;
  /**
   * The request for one call; undefined when this route does not serve the call (the next
   * configured one then does).
   */
  request(call: RouteCall): ModelRequest | ModelNotConfigured | ModelRequestRefused | undefined;
  /** True when it takes AI Gateway's per-call options (`cacheTtl`, `skipCache`, `cacheKey`, `metadata`, `requestTimeoutMs`). */
  takesCacheOptions?: boolean;
  /**
   * True when every call past it gets a seed (the caller's or a random one, returned so that the
   * image can be made again); false for workers whose protocol is fixed.
   */
  seedsEveryCall?: boolean;
  /** What `/readyz` checks: the URL that must answer (none: configured is ready), or why it can't serve. */
  readiness(settings: Settings): { url?: string | undefined; problem?: string };
  /** What `imagegen doctor` makes to check it: one small image of this model. */
  probe: { model: string; width?: number; height?: number };
  /** One line for `imagegen config` and the CLI's start. @default its label and its readiness URL: `the Flux worker (https://...)` */
  describe?(settings: Settings): string;
}

/**
 * A worker's two settings: its URL, and the key it checks (a secret, sent as a Bearer token).
 *
 * @example
 * workerSettings('IMAGEGEN_WORKER_URL', 'IMAGEGEN_WORKER_KEY', 'your imagegen worker');
 */
export const workerSettings = (url: string, key: string, worker: string): RouteSetting[] => [
  { name: url, description: worker, url: true },
  { name: key, description: `the API_KEY secret of ${worker}`, secret: true },
];
