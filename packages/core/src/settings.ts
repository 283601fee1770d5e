import { imageError } from './error-factory.js';
import type { ImageGenerationError } from './errors.js';

/** Where the models are reached and where images go. */
export interface Settings {
  /** The seed's Flux worker (`GET ?prompt=`). */
  fluxWorkerUrl?: string;
  /** The seed's SDXL worker (`POST` JSON, Bearer `sdxlApiKey`). */
  sdxlWorkerUrl?: string;
  sdxlApiKey?: string;
  /** The generic imagegen worker that runs any catalogue model (`IMAGEGEN_WORKER_URL`). */
  workerUrl?: string;
  workerKey?: string;
  /** The Workers AI REST API: account, token and base URL. */
  accountId?: string;
  apiToken?: string;
  /** @default 'https://api.cloudflare.com/client/v4' */
  apiBaseUrl: string;
  /** An AI Gateway id: calls go through it when set (with the account and token). */
  aiGateway?: string;
  /** The token of an authenticated AI Gateway, sent as `cf-aig-authorization`. */
  aiGatewayToken?: string;
  /** @default 'https://gateway.ai.cloudflare.com/v1' */
  aiGatewayBaseUrl: string;
  /** The local preview's REST base (`.../client/v4`), set by imagegen when it starts the preview. */
  localPreviewUrl?: string;
  /** @default 'temp/images' */
  outputDir: string;
  /** True when at least one model can be called. */
  isImageGenerationEnabled: boolean;
}

/** The default output directory, as in the reference. */
export const DEFAULT_OUTPUT_DIR = 'temp/images';
/** Workers AI's REST base, as wrangler's `CLOUDFLARE_API_BASE_URL` defaults. */
export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** AI Gateway's base URL. */
export const DEFAULT_AI_GATEWAY_BASE_URL = 'https://gateway.ai.cloudflare.com/v1';

const blankToUndefined = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

function httpUrl(name: string, value: string | undefined): string | undefined {
  const text = blankToUndefined(value);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw settingsError(`${name} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw settingsError(`${name} must be an http or https URL`);
  }
  return url.toString();
}

// A base URL is joined with paths: no trailing slash.
const baseUrl = (name: string, value: string | undefined, fallback: string): string =>
  (httpUrl(name, value) ?? fallback).replace(/\/+$/, '');

const settingsError = (message: string): ImageGenerationError => imageError('not_configured', 'settings', { detail: message });

/**
 * Reads the settings from a plain record (such as `process.env`): `FLUX_WORKER_URL`,
 * `SDXL_WORKER_URL`, `SDXL_API_KEY`, `IMAGEGEN_WORKER_URL`, `IMAGEGEN_WORKER_KEY`,
 * `CLOUDFLARE_ACCOUNT_ID`, `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_API_BASE_URL`,
 * `CLOUDFLARE_AI_GATEWAY`, `CLOUDFLARE_AI_GATEWAY_TOKEN`, `CLOUDFLARE_AI_GATEWAY_BASE_URL`, `IMAGEGEN_LOCAL_PREVIEW_URL`,
 * `IMAGEGEN_OUTPUT_DIR`. Blank values count as unset. Throws an `ImageGenerationError` with code
 * `not_configured` when a URL is not http(s), or when only one of the account and the token is set.
 *
 * @example
 * const settings = loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'abc', CLOUDFLARE_API_TOKEN: 'secret' });
 * settings.isImageGenerationEnabled; // true
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const fluxWorkerUrl = httpUrl('FLUX_WORKER_URL', env.FLUX_WORKER_URL);
  const sdxlWorkerUrl = httpUrl('SDXL_WORKER_URL', env.SDXL_WORKER_URL);
  const sdxlApiKey = blankToUndefined(env.SDXL_API_KEY);
  const workerUrl = httpUrl('IMAGEGEN_WORKER_URL', env.IMAGEGEN_WORKER_URL);
  const workerKey = blankToUndefined(env.IMAGEGEN_WORKER_KEY);
  const accountId = blankToUndefined(env.CLOUDFLARE_ACCOUNT_ID);
  const apiToken = blankToUndefined(env.CLOUDFLARE_API_TOKEN);
  if (Boolean(accountId) !== Boolean(apiToken)) {
    throw settingsError(
      accountId
        ? 'CLOUDFLARE_ACCOUNT_ID is set but CLOUDFLARE_API_TOKEN is not: the Workers AI REST API needs both'
        : 'CLOUDFLARE_API_TOKEN is set but CLOUDFLARE_ACCOUNT_ID is not: the Workers AI REST API needs both',
    );
  }
  const aiGateway = blankToUndefined(env.CLOUDFLARE_AI_GATEWAY);
  const aiGatewayToken = blankToUndefined(env.CLOUDFLARE_AI_GATEWAY_TOKEN);
  const localPreviewUrl = httpUrl('IMAGEGEN_LOCAL_PREVIEW_URL', env.IMAGEGEN_LOCAL_PREVIEW_URL)?.replace(/\/+$/, '');
  return {
    ...(fluxWorkerUrl && { fluxWorkerUrl }),
    ...(sdxlWorkerUrl && { sdxlWorkerUrl }),
    ...(sdxlApiKey && { sdxlApiKey }),
    ...(workerUrl && { workerUrl }),
    ...(workerKey && { workerKey }),
    ...(accountId && { accountId }),
    ...(apiToken && { apiToken }),
    apiBaseUrl: baseUrl('CLOUDFLARE_API_BASE_URL', env.CLOUDFLARE_API_BASE_URL, DEFAULT_API_BASE_URL),
    ...(aiGateway && { aiGateway }),
    ...(aiGatewayToken && { aiGatewayToken }),
    aiGatewayBaseUrl: baseUrl('CLOUDFLARE_AI_GATEWAY_BASE_URL', env.CLOUDFLARE_AI_GATEWAY_BASE_URL, DEFAULT_AI_GATEWAY_BASE_URL),
    ...(localPreviewUrl && { localPreviewUrl }),
    outputDir: blankToUndefined(env.IMAGEGEN_OUTPUT_DIR) ?? DEFAULT_OUTPUT_DIR,
    isImageGenerationEnabled: Boolean(
      fluxWorkerUrl || (sdxlWorkerUrl && sdxlApiKey) || workerUrl || (accountId && apiToken) || localPreviewUrl,
    ),
  };
}

/**
 * True when a worker or a Workers AI account is configured: some route leads off this machine.
 * With none, the CLI, the gateway's `serve` and the demo start the offline local preview.
 *
 * @example
 * hasRemoteRoute(loadSettings({})); // false
 */
export const hasRemoteRoute = (settings: Settings): boolean =>
  Boolean(settings.fluxWorkerUrl || settings.sdxlWorkerUrl || settings.workerUrl || settings.accountId);
