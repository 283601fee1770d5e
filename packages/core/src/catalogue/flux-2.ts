import { type CatalogueModel, type ImageInputSpec, type InputSpec, SEED_INPUT } from './model-spec.js';

/** FLUX.2's reference images: optional, up to 4, each shrunk to 512x512 at most. */
const REFERENCE_IMAGES: ImageInputSpec = { maxImages: 4, maxSide: 512 };

// developers.cloudflare.com/workers-ai/models/flux-2-dev (and the 2025-11-25 changelog): multipart
// only; prompt, steps, guidance, width (default 1024) and height (default 768) 256-1920, seed,
// up to 4 input images (file parts input_image_0..3, at most 512x512 each); answers {"image": base64}.
// The klein models (changelogs of 2026-01-15 and 2026-01-28) run a fixed 4 steps: prompt, width,
// height (default 768, as FLUX.2 [dev]), optional guidance and seed, and up to 4 input images.
// Cloudflare states no range for their guidance: 0-20 is imagegen's, FLUX.2 [dev]'s. Checked 2026-12-03.

const size = (name: 'width' | 'height', fallback: number): InputSpec => ({
  name,
  field: name,
  type: 'integer',
  min: 256,
  max: 1920,
  default: fallback,
});

/** FLUX.2 [dev]. */
export const flux2Dev: CatalogueModel = {
  alias: 'flux-2-dev',
  id: '@cf/black-forest-labs/flux-2-dev',
  description: 'FLUX.2 [dev]: high fidelity, slower',
  inputs: [
    { name: 'steps', field: 'steps', type: 'integer', min: 1, max: 50, default: 25 },
    { name: 'guidance', field: 'guidance', type: 'number', min: 0, max: 20, default: 4 },
    size('width', 1024),
    size('height', 768),
    SEED_INPUT,
  ],
  send: 'multipart',
  imageInput: REFERENCE_IMAGES,
  answer: { encoding: 'base64-json', format: 'png' },
  defaultSize: { width: 1024, height: 768 },
  maxPromptLength: 2048,
};

const klein = (variant: '4b' | '9b', description: string): CatalogueModel => ({
  alias: `flux-2-klein-${variant}`,
  id: `@cf/black-forest-labs/flux-2-klein-${variant}`,
  description,
  inputs: [size('width', 1024), size('height', 768), { name: 'guidance', field: 'guidance', type: 'number', min: 0, max: 20 }, SEED_INPUT],
  send: 'multipart',
  imageInput: REFERENCE_IMAGES,
  answer: { encoding: 'base64-json', format: 'png' },
  defaultSize: { width: 1024, height: 768 },
  maxPromptLength: 2048,
});

/** FLUX.2 [klein] 4B: distilled, a fixed 4 steps. */
export const flux2Klein4b = klein('4b', 'FLUX.2 [klein] 4B: distilled, a fixed 4 steps, fastest');
/** FLUX.2 [klein] 9B: distilled, a fixed 4 steps, better than 4B. */
export const flux2Klein9b = klein('9b', 'FLUX.2 [klein] 9B: distilled, a fixed 4 steps');
