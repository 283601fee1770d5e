import type { ImageCost } from './cost.js';
import type { ImageGenerationError } from './errors.js';
import type { Route } from './models/model.js';

/** A saved image. */
export interface GenerationSuccess {
  ok: true;
  /** Where the store put the image (a file path for the Node file store). */
  path: string;
  model: string;
  /** The sniffed type of the bytes, not what a header claimed. */
  contentType: string;
  /** Size of the saved image. */
  bytes: number;
  /** HTTP attempts made, the successful one included. */
  attempts: number;
  durationMs: number;
  /** The 8 hex digits in the file name. */
  requestId: string;
  /** Which way the model was reached: your worker, the REST API, AI Gateway or the local preview. */
  route: Route;
  /** The seed sent (the caller's, or one imagegen picked): the same seed remakes the image. */
  seed?: number;
  /** AI Gateway's `cf-aig-cache-status` (`HIT`, `MISS`), on the `ai-gateway` route. */
  cacheStatus?: string;
  /** True when imagegen's result cache answered (a seeded call made before): no upstream call, `attempts` 0. */
  cached?: true;
  /**
   * What the image cost by the model's published price (its size in 512x512 tiles, its steps, its
   * input images): Neurons and dollars, zero for a cache hit, `{ unknown }` with why when the
   * price is not published.
   */
  cost: ImageCost;
}

/** A generation that failed; nothing of it is left in the store. */
export interface GenerationFailure {
  ok: false;
  error: ImageGenerationError;
}

/** What every generation resolves to: expected failures are values, never throws. */
export type GenerationResult = GenerationSuccess | GenerationFailure;
