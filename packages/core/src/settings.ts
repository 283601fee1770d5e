import { imageError } from './error-factory.js';
import type { ImageGenerationError } from './errors.js';

/** Where the workers are and where images go. */
export interface Settings {
  fluxWorkerUrl?: string;
  sdxlWorkerUrl?: string;
  sdxlApiKey?: string;
  /** @default 'temp/images' */
  outputDir: string;
  /** True when at least one model can be called. */
  isImageGenerationEnabled: boolean;
}

/** The default output directory, as in the reference. */
export const DEFAULT_OUTPUT_DIR = 'temp/images';

const blankToUndefined = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

function workerUrl(name: string, value: string | undefined): string | undefined {
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
 * Reads the settings from a plain record (such as `process.env`): `FLUX_WORKER_URL`,
 * `SDXL_WORKER_URL`, `SDXL_API_KEY`, `IMAGEGEN_OUTPUT_DIR`. Blank values count as unset.
 * Throws an `ImageGenerationError` with code `not_configured` when a URL is not http(s).
 *
 * @example
 * const settings = loadSettings({ FLUX_WORKER_URL: 'https://flux.example.workers.dev' });
 * settings.isImageGenerationEnabled; // true
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const fluxWorkerUrl = workerUrl('FLUX_WORKER_URL', env.FLUX_WORKER_URL);
  const sdxlWorkerUrl = workerUrl('SDXL_WORKER_URL', env.SDXL_WORKER_URL);
  const sdxlApiKey = blankToUndefined(env.SDXL_API_KEY);
  return {
    ...(fluxWorkerUrl && { fluxWorkerUrl }),
    ...(sdxlWorkerUrl && { sdxlWorkerUrl }),
    ...(sdxlApiKey && { sdxlApiKey }),
    outputDir: blankToUndefined(env.IMAGEGEN_OUTPUT_DIR) ?? DEFAULT_OUTPUT_DIR,
    isImageGenerationEnabled: Boolean(fluxWorkerUrl || (sdxlWorkerUrl && sdxlApiKey)),
  };
}
