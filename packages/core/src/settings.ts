import { imageError } from './error-factory.js';
import type { ImageGenerationError } from './errors.js';
import { routeRegistry } from './routes/registry.js';

/** Where the models are reached and where images go. */
export interface Settings {
  /**
   * Every route setting that is set (blank counts as unset), by environment name: what a route
   * added to the registry reads, and where redaction finds the secrets.
   */
  values: Readonly<Record<string, string>>;
  /** The Flux worker (`GET ?prompt=`). */
  fluxWorkerUrl?: string;
  /** The SDXL worker (`POST` JSON, Bearer `sdxlApiKey`). */
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

/** The shortest secret (key, token) accepted. */
export const MIN_SECRET_LENGTH = 8;

/** The default output directory. */
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

const settingsError = (message: string): ImageGenerationError => imageError('not_configured', 'settings', { detail: message });

/**
 * Reads the settings from a plain record (such as `process.env`): every setting of every route
 * in the route registry (`FLUX_WORKER_URL`, `SDXL_WORKER_URL`, `SDXL_API_KEY`,
 * `IMAGEGEN_WORKER_URL`, `IMAGEGEN_WORKER_KEY`, `CLOUDFLARE_ACCOUNT_ID`, `CLOUDFLARE_API_TOKEN`,
 * `CLOUDFLARE_API_BASE_URL`, `CLOUDFLARE_AI_GATEWAY`, `CLOUDFLARE_AI_GATEWAY_TOKEN`,
 * `CLOUDFLARE_AI_GATEWAY_BASE_URL`, `IMAGEGEN_LOCAL_PREVIEW_URL`, and those of routes added to it)
 * and `IMAGEGEN_OUTPUT_DIR`. Blank values count as unset. Throws an `ImageGenerationError` with
 * code `not_configured` when a URL is not http(s), a secret is shorter than 8 characters, or only
 * one of the account and the token is set.
 *
 * @example
 * const settings = loadSettings({ CLOUDFLARE_ACCOUNT_ID: 'abc', CLOUDFLARE_API_TOKEN: 'a-token-of-40-characters' });
 * settings.isImageGenerationEnabled; // true
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const values: Record<string, string> = {};
  for (const setting of routeRegistry.settings()) {
    const value = setting.url ? httpUrl(setting.name, env[setting.name]) : blankToUndefined(env[setting.name]);
    if (value === undefined) continue;
    if (setting.choices && !setting.choices.includes(value)) {
      throw settingsError(`${setting.name} must be ${setting.choices.join(' or ')} (it is "${value}")`);
    }
    // Redaction replaces a secret wherever it appears: a short one would be found inside
    // ordinary words, and the words around it would give it away. Too short to be a key anyway.
    if (setting.secret && value.length < MIN_SECRET_LENGTH) {
      throw settingsError(`${setting.name} is too short to be a key or token (${value.length} characters; at least ${MIN_SECRET_LENGTH})`);
    }
    values[setting.name] = value;
  }
  const { CLOUDFLARE_ACCOUNT_ID: accountId, CLOUDFLARE_API_TOKEN: apiToken } = values;
  if (Boolean(accountId) !== Boolean(apiToken)) {
    throw settingsError(
      accountId
        ? 'CLOUDFLARE_ACCOUNT_ID is set but CLOUDFLARE_API_TOKEN is not: the Workers AI REST API needs both'
        : 'CLOUDFLARE_API_TOKEN is set but CLOUDFLARE_ACCOUNT_ID is not: the Workers AI REST API needs both',
    );
  }
  const optional = (field: keyof Settings, name: string) => (values[name] === undefined ? {} : { [field]: values[name] });
  const settings: Settings = {
    values,
    ...optional('fluxWorkerUrl', 'FLUX_WORKER_URL'),
    ...optional('sdxlWorkerUrl', 'SDXL_WORKER_URL'),
    ...optional('sdxlApiKey', 'SDXL_API_KEY'),
    ...optional('workerUrl', 'IMAGEGEN_WORKER_URL'),
    ...optional('workerKey', 'IMAGEGEN_WORKER_KEY'),
    ...optional('accountId', 'CLOUDFLARE_ACCOUNT_ID'),
    ...optional('apiToken', 'CLOUDFLARE_API_TOKEN'),
    apiBaseUrl: (values.CLOUDFLARE_API_BASE_URL ?? DEFAULT_API_BASE_URL).replace(/\/+$/, ''),
    ...optional('aiGateway', 'CLOUDFLARE_AI_GATEWAY'),
    ...optional('aiGatewayToken', 'CLOUDFLARE_AI_GATEWAY_TOKEN'),
    aiGatewayBaseUrl: (values.CLOUDFLARE_AI_GATEWAY_BASE_URL ?? DEFAULT_AI_GATEWAY_BASE_URL).replace(/\/+$/, ''),
    ...(values.IMAGEGEN_LOCAL_PREVIEW_URL ? { localPreviewUrl: values.IMAGEGEN_LOCAL_PREVIEW_URL.replace(/\/+$/, '') } : {}),
    outputDir: blankToUndefined(env.IMAGEGEN_OUTPUT_DIR) ?? DEFAULT_OUTPUT_DIR,
    isImageGenerationEnabled: false,
  };
  settings.isImageGenerationEnabled = routeRegistry.configured(settings).some((route) => !route.readiness(settings).problem);
  return settings;
}

/**
 * True when a route that leads off this machine is configured (a worker or a Workers AI
 * account). With none, the CLI, the gateway's `serve` and the demo start the offline local preview.
 *
 * @example
 * hasRemoteRoute(loadSettings({})); // false
 */
export const hasRemoteRoute = (settings: Settings): boolean => routeRegistry.configured(settings).some((route) => route.remote !== false);
