import { flux1Schnell } from './flux-1.js';
import { flux2Dev, flux2Klein4b, flux2Klein9b } from './flux-2.js';
import { lucidOrigin, phoenix } from './leonardo.js';
import type { CatalogueModel } from './model-spec.js';
import { flux2ProPreview, gptImage15, gptImage2, imagen4 } from './partners.js';
import { dreamshaper8Lcm, sd15Img2img, sd15Inpainting, sdxlBase, sdxlLightning } from './stable-diffusion.js';

/** Every Workers AI image model imagegen knows, in the order `imagegen models` lists them. */
export const catalogue: readonly CatalogueModel[] = [
  flux1Schnell,
  flux2Dev,
  flux2Klein4b,
  flux2Klein9b,
  sdxlBase,
  sdxlLightning,
  dreamshaper8Lcm,
  sd15Img2img,
  sd15Inpainting,
  phoenix,
  lucidOrigin,
  gptImage2,
  gptImage15,
  imagen4,
  flux2ProPreview,
];

const byName = new Map<string, CatalogueModel>(catalogue.flatMap((model) => [[model.alias, model] as const, [model.id, model] as const]));

/**
 * The catalogue model of an alias or a Workers AI id, or undefined.
 *
 * @example
 * findModel('lucid-origin')?.id; // '@cf/leonardo/lucid-origin'
 * findModel('@cf/leonardo/lucid-origin')?.alias; // 'lucid-origin'
 */
export function findModel(name: string): CatalogueModel | undefined {
  return byName.get(name);
}
