import { readFileSync } from 'node:fs';
import { catalogue, parseFallbacks } from '@imagegen/core';
import { MIN_SECRET_LENGTH } from '@imagegen/core/internal';
import { type KeyEntry, parseKeyEntries } from './budgets/key-entries.js';
import { envNumber } from './env-number.js';
import { parseGatewayKeys } from './auth.js';
import type { GatewayOptions } from './gateway-options.js';
import { type QueueSettings, queueSettingsFromEnv } from './queue/queue-settings.js';
import type { RateLimiter } from './rate-limit.js';

/** The gateway's settings as plain, validated values: what the options and the environment say. */
export interface GatewayConfig {
  keys: readonly string[];
  /** The keys of IMAGEGEN_KEYS_FILE: named, with budgets, models, rpm, admin. */
  keyEntries: readonly KeyEntry[];
  /** IMAGEGEN_FALLBACKS (`flux-2-dev>flux-2-klein-9b>flux`): the models to try after each chain's first. */
  fallbacks: ReadonlyMap<string, readonly string[]>;
  logLevel: string;
  concurrency: number;
  maxWaiting: number;
  imageMaxAgeMs: number;
  jobTtlMs: number;
  maxBodyBytes: number;
  publicUrl: string | (() => string | undefined) | undefined;
  cors: { origin: string | string[] } | false;
  /** The origins of IMAGEGEN_CORS_ORIGINS: CORS headers go to them, and a keyless gateway answers their pages. */
  allowedOrigins: readonly string[];
  metricsPublic: boolean;
  /** The per-client bucket, or the caller's own limiter, or none. */
  rateLimit: { burst: number; perSecond: number } | RateLimiter | undefined;
  /** With IMAGEGEN_REDIS_URL: the shared queue's settings. */
  queue: QueueSettings | undefined;
  takeJobs: boolean;
}

const isLimiter = (value: unknown): value is RateLimiter => typeof (value as RateLimiter | undefined)?.take === 'function';

/**
 * Reads the gateway's settings from its options and environment, options first. It opens
 * nothing: a bad value (a queue setting, a Redis URL that is not `redis://`) throws here, before
 * any connection is made.
 *
 * @example
 * const config = gatewayConfig({ concurrency: 8 }, process.env);
 */
export function gatewayConfig(options: GatewayOptions, env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  const queue = env.IMAGEGEN_REDIS_URL ? queueSettingsFromEnv(env, options.queueSettings) : undefined;
  const bucket = {
    burst: envNumber(env, 'IMAGEGEN_RATE_LIMIT_BURST', 60, { orEqual: true }),
    perSecond: envNumber(env, 'IMAGEGEN_RATE_LIMIT_PER_SECOND', 10, { orEqual: true }),
    ...(isLimiter(options.rateLimit) || options.rateLimit === false ? {} : options.rateLimit),
  };
  let rateLimit: GatewayConfig['rateLimit'] = bucket.perSecond === 0 ? undefined : bucket;
  if (options.rateLimit === false) rateLimit = undefined;
  else if (isLimiter(options.rateLimit)) rateLimit = options.rateLimit;
  const keys = options.keys ?? parseGatewayKeys(env.IMAGEGEN_GATEWAY_KEYS);
  const short = keys.find((key) => key.length < MIN_SECRET_LENGTH);
  if (short !== undefined) {
    throw new Error(
      `IMAGEGEN_GATEWAY_KEYS: a key of ${short.length} characters is too short to keep anyone out (at least ${MIN_SECRET_LENGTH})`,
    );
  }
  const keysFile = env.IMAGEGEN_KEYS_FILE?.trim();
  const keyEntries = keysFile ? parseKeyEntries(readKeysFile(keysFile), `IMAGEGEN_KEYS_FILE ${keysFile}`, aliasOf) : [];
  const origins = (env.IMAGEGEN_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter(Boolean);
  let fallbacks: Map<string, string[]>;
  try {
    fallbacks = parseFallbacks(env.IMAGEGEN_FALLBACKS ?? '', aliasOf);
  } catch (error) {
    throw new Error(`IMAGEGEN_FALLBACKS: ${(error as Error).message}`, { cause: error });
  }
  return {
    keys,
    keyEntries,
    fallbacks,
    logLevel: env.IMAGEGEN_LOG_LEVEL ?? 'info',
    concurrency: options.concurrency ?? 4,
    maxWaiting: options.maxWaiting ?? (queue ? 1024 : 64),
    imageMaxAgeMs: options.imageMaxAgeMs ?? 3_600_000,
    jobTtlMs: options.jobTtlMs ?? 3_600_000,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    publicUrl: options.publicUrl ?? env.IMAGEGEN_PUBLIC_URL,
    cors: options.cors ?? (origins.length > 0 ? { origin: origins } : false),
    allowedOrigins: options.cors ? [options.cors.origin].flat() : origins,
    metricsPublic: options.metricsPublic ?? ['1', 'true', 'yes'].includes(env.IMAGEGEN_METRICS_PUBLIC?.trim().toLowerCase() ?? ''),
    rateLimit,
    queue,
    takeJobs: options.takeJobs !== false,
  };
}

// A key file may name models by alias or Workers AI id.
const aliasOf = (model: string): string | undefined => catalogue.find((entry) => entry.alias === model || entry.id === model)?.alias;

function readKeysFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`IMAGEGEN_KEYS_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      cause: error,
    });
  }
}
