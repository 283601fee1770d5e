// What a call asks of Cloudflare's AI Gateway (its cache, metadata and logging): checked once, then
// sent as the binding's gateway options or as the REST API's cf-aig-* headers.
import type { CacheOptions } from './models/model.js';

/** AI Gateway's cache TTL range, in seconds: one minute to one month. */
export const CACHE_TTL_RANGE = { min: 60, max: 2_592_000 } as const;

/** AI Gateway keeps five metadata entries and drops the rest: imagegen refuses more instead. */
export const MAX_METADATA_ENTRIES = 5;

/**
 * Why AI Gateway's per-call options are wrong, or undefined: `cacheTtl` is whole seconds from 60
 * to 2,592,000 (one month), as `cf-aig-cache-ttl` takes
 * (https://developers.cloudflare.com/ai-gateway/features/caching/); `skipCache` a boolean;
 * `cacheKey` non-empty text; `metadata` at most five entries of strings, numbers or booleans
 * (https://developers.cloudflare.com/ai-gateway/observability/custom-metadata/: more are
 * silently dropped there); `requestTimeoutMs` a positive whole number of milliseconds
 * (https://developers.cloudflare.com/ai-gateway/configuration/request-handling/).
 *
 * @example
 * cacheProblem({ cacheTtl: 10 }); // 'cacheTtl must be a whole number of seconds from 60 to 2592000 (one month)'
 */
export function cacheProblem(cache: CacheOptions): string | undefined {
  const { cacheTtl, skipCache, cacheKey, metadata, requestTimeoutMs } = cache;
  const { min, max } = CACHE_TTL_RANGE;
  if (cacheTtl !== undefined && (typeof cacheTtl !== 'number' || !Number.isInteger(cacheTtl) || cacheTtl < min || cacheTtl > max)) {
    return `cacheTtl must be a whole number of seconds from ${min} to ${max} (one month)`;
  }
  if (skipCache !== undefined && typeof skipCache !== 'boolean') return 'skipCache must be true or false';
  if (cacheKey !== undefined && (typeof cacheKey !== 'string' || cacheKey.trim() === '' || /[\r\n]/.test(cacheKey))) {
    return 'cacheKey must be non-empty text on one line';
  }
  if (metadata !== undefined) {
    const entries = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? Object.entries(metadata) : undefined;
    if (!entries || entries.some(([, value]) => !['string', 'number', 'boolean'].includes(typeof value))) {
      return 'metadata must be an object of strings, numbers or booleans';
    }
    if (entries.length > MAX_METADATA_ENTRIES) {
      return `metadata takes at most ${MAX_METADATA_ENTRIES} entries (AI Gateway drops the rest); it has ${entries.length}`;
    }
  }
  if (
    requestTimeoutMs !== undefined &&
    (typeof requestTimeoutMs !== 'number' || !Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1)
  ) {
    return 'requestTimeoutMs must be a positive whole number of milliseconds';
  }
  return undefined;
}

/** True when a call sets any AI Gateway option. */
export const wantsGatewayOptions = (cache: CacheOptions): boolean =>
  cache.cacheTtl !== undefined ||
  cache.skipCache === true ||
  cache.cacheKey !== undefined ||
  cache.metadata !== undefined ||
  cache.requestTimeoutMs !== undefined;

/**
 * AI Gateway's options as the Workers AI binding's `gateway` option takes them (with the gateway's id).
 *
 * @example
 * gatewayOptions({ cacheTtl: 3600 }, 'my-gw'); // { id: 'my-gw', cacheTtl: 3600 }
 */
export function gatewayOptions(cache: CacheOptions, id: string): Record<string, unknown> {
  const { cacheTtl, skipCache, cacheKey, metadata, requestTimeoutMs } = cache;
  return {
    id,
    ...(cacheTtl === undefined ? {} : { cacheTtl }),
    ...(skipCache ? { skipCache } : {}),
    ...(cacheKey === undefined ? {} : { cacheKey }),
    ...(metadata === undefined ? {} : { metadata }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  };
}

/**
 * AI Gateway's headers for a call's options.
 *
 * @example
 * gatewayHeaders({ cacheTtl: 3600, metadata: { team: 'web' } }); // { 'cf-aig-cache-ttl': '3600', 'cf-aig-metadata': '{"team":"web"}' }
 */
export function gatewayHeaders(cache: CacheOptions): Record<string, string> {
  return {
    ...(cache.cacheTtl === undefined ? {} : { 'cf-aig-cache-ttl': String(cache.cacheTtl) }),
    ...(cache.skipCache ? { 'cf-aig-skip-cache': 'true' } : {}),
    ...(cache.cacheKey === undefined ? {} : { 'cf-aig-cache-key': cache.cacheKey }),
    ...(cache.metadata === undefined ? {} : { 'cf-aig-metadata': JSON.stringify(cache.metadata) }),
    ...(cache.requestTimeoutMs === undefined ? {} : { 'cf-aig-request-timeout': String(cache.requestTimeoutMs) }),
  };
}
