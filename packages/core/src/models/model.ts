import type { ErrorCode } from '../errors.js';
import type { Settings } from '../settings.js';

/** Optional generation parameters; a model passes on those it supports, when set. */
export interface GenerationParams {
  seed?: number;
  width?: number;
  height?: number;
  steps?: number;
  negativePrompt?: string;
}

/** The request a model builds for one prompt; sent as is over the injected fetch. */
export interface ModelRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A body that can be sent again on a retry (a string, bytes or a form; never a stream). */
  body?: string | Uint8Array<ArrayBuffer> | FormData;
}

/** A missing setting that keeps a model from being called. */
export interface ModelNotConfigured {
  notConfigured: string;
}

/**
 * One image model: how to build its request and the messages of its own. Adding a model is
 * adding a file that exports one of these.
 */
export interface ImageModel {
  /** The short name used in file names, results and the CLI (`flux`, `sdxl`). */
  name: string;
  /** The Workers AI model this worker runs, accepted as an alias by the gateway. */
  workersAiName: string;
  /** The generation parameters this model's worker understands. */
  params: ReadonlyArray<keyof GenerationParams>;
  /** The request for `prompt`, or what is missing from the settings. */
  buildRequest(settings: Settings, prompt: string, params: GenerationParams): ModelRequest | ModelNotConfigured;
  /** Messages that replace the default ones for some codes. */
  messages?: Partial<Record<ErrorCode, string>>;
  /** Secrets that must never appear in a message or log (the SDXL key). */
  secrets?(settings: Settings): string[];
}
