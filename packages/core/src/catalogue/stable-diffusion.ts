import { type CatalogueModel, type InputSpec, SEED_INPUT, STRENGTH_INPUT } from './model-spec.js';

// developers.cloudflare.com/workers-ai/models/stable-diffusion-xl-base-1.0 (and -lightning,
// dreamshaper-8-lcm and the two SD 1.5 models, which share its schema): prompt, negative_prompt,
// width and height 256-2048 (no default stated), num_steps (default 20, max 20), guidance
// (default 7.5), strength (default 1), seed; answer PNG bytes. Checked 2026-12-03.
// imagegen's own, not Cloudflare's: guidance 0-30 (Cloudflare gives no range; wide enough for
// any sane use), strength 0-1 (the schema says so in prose only), num_steps from 1, and the
// default sizes below (the sizes the models were trained at: 1024x1024 for SDXL, 512x512 for
// SD 1.5; imagegen sends no size unless asked, so the model's own default applies). All of them
// take an input image (`image_b64`), a `mask` and `strength`; the SD 1.5 models need the image.

const inputs: readonly InputSpec[] = [
  { name: 'negativePrompt', field: 'negative_prompt', type: 'string' },
  { name: 'width', field: 'width', type: 'integer', min: 256, max: 2048 },
  { name: 'height', field: 'height', type: 'integer', min: 256, max: 2048 },
  { name: 'steps', field: 'num_steps', type: 'integer', min: 1, max: 20, default: 20 },
  { name: 'guidance', field: 'guidance', type: 'number', min: 0, max: 30, default: 7.5 },
  STRENGTH_INPUT,
  SEED_INPUT,
];

const stableDiffusion = (alias: string, id: string, description: string, needsImage = false): CatalogueModel => ({
  alias,
  id,
  description,
  inputs,
  send: 'json',
  answer: { encoding: 'binary', format: 'png' },
  imageInput: { mask: true, ...(needsImage ? { required: true } : {}) },
  defaultSize: needsImage ? { width: 512, height: 512 } : { width: 1024, height: 1024 },
  maxPromptLength: 2048,
});

/** Stable Diffusion XL base 1.0, the model of the original SDXL worker. */
export const sdxlBase = stableDiffusion('sdxl', '@cf/stabilityai/stable-diffusion-xl-base-1.0', 'Stable Diffusion XL base 1.0');
/** SDXL Lightning (ByteDance): a few steps. */
export const sdxlLightning = stableDiffusion(
  'sdxl-lightning',
  '@cf/bytedance/stable-diffusion-xl-lightning',
  'SDXL Lightning: SDXL in a few steps',
);
/** DreamShaper 8 LCM (Lykon): photorealistic, few steps. */
export const dreamshaper8Lcm = stableDiffusion('dreamshaper-8-lcm', '@cf/lykon/dreamshaper-8-lcm', 'DreamShaper 8 LCM: photorealism');
/** Stable Diffusion 1.5 image to image: an input image, moved by `strength`. */
export const sd15Img2img = stableDiffusion(
  'sd15-img2img',
  '@cf/runwayml/stable-diffusion-v1-5-img2img',
  'Stable Diffusion 1.5 image to image: starts from your image',
  true,
);
/** Stable Diffusion 1.5 inpainting: redraws where the mask is white. */
export const sd15Inpainting = stableDiffusion(
  'sd15-inpainting',
  '@cf/runwayml/stable-diffusion-v1-5-inpainting',
  'Stable Diffusion 1.5 inpainting: redraws the masked part of your image',
  true,
);
