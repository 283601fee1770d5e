import { catalogue } from '../catalogue/catalogue.js';
import { catalogueImageModel } from './catalogue-image-model.js';
import type { ImageModel } from './model.js';

/** The models a generator knows by default, by alias: the whole catalogue. */
export const defaultModels: Readonly<Record<string, ImageModel>> = Object.fromEntries(
  catalogue.map((entry) => [entry.alias, catalogueImageModel(entry)]),
);

/** The original Flux model (`flux-1-schnell`). */
export const flux: ImageModel = defaultModels.flux!;
/** The original SDXL model (`stable-diffusion-xl-base-1.0`). */
export const sdxl: ImageModel = defaultModels.sdxl!;

/** The aliases of the built-in models. */
export type ModelName =
  | 'flux'
  | 'flux-2-dev'
  | 'flux-2-klein-4b'
  | 'flux-2-klein-9b'
  | 'sdxl'
  | 'sdxl-lightning'
  | 'dreamshaper-8-lcm'
  | 'sd15-img2img'
  | 'sd15-inpainting'
  | 'phoenix'
  | 'lucid-origin';

export { catalogueImageModel };
export type { CacheOptions, GenerationParams, ImageModel, ModelNotConfigured, ModelRequest, ModelRequestRefused, Route } from './model.js';
