import { flux } from './flux.js';
import type { ImageModel } from './model.js';
import { sdxl } from './sdxl.js';

/** The models a generator knows by default, by name. */
export const defaultModels: Readonly<Record<string, ImageModel>> = { flux, sdxl };

/** The names of the built-in models. */
export type ModelName = 'flux' | 'sdxl';

export { flux, sdxl };
export type { GenerationParams, ImageModel, ModelNotConfigured, ModelRequest } from './model.js';
