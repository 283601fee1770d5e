import type { CatalogueModel, InputSpec } from './model-spec.js';

// The partner image models Workers AI has run since April 2026 (developers.cloudflare.com/ai/models/
// openai/gpt-image-2, openai/gpt-image-1.5, google/imagen-4, black-forest-labs/flux-2-pro-preview,
// checked 2026-12-03): ids without `@cf/`, `POST /accounts/{id}/ai/run` (or `env.AI.run`) with
// `{ model, input }`, answering `{ "state": "Completed", "result": { "image": "<URL>" } }`, billed
// in dollars. The pages give examples and parameter names, not full schemas:
// - gpt-image-2 and gpt-image-1.5: `quality` (low, medium, high, auto), `size` (`1024x1536` in
//   the examples), `output_format`; images to edit as base64 (gpt-image-2 `images`, a list;
//   gpt-image-1.5 `image`). The three sizes are OpenAI's for its gpt-image models.
// - imagen-4: `aspect_ratio` (1:1, 3:4, 4:3, 9:16, 16:9), `person_generation`.
// - flux-2-pro-preview: `width`, `height` (1024 in the examples), `input_images` (a list).
// imagegen's own, not Cloudflare's: prompt lengths (OpenAI's 32,000 for gpt-image; 2,048 for the
// others), flux-2-pro-preview's size range 256-2048 and its 4 reference images sent as data URLs,
// and the default sizes (what the models draw at `auto` or 1:1). imagegen sends only what the
// caller sets: `output_format` is not sent (imagegen converts the file itself when asked).

const QUALITY: InputSpec = { name: 'qualityTier', field: 'quality', type: 'string', values: ['low', 'medium', 'high', 'auto'] };
const OPENAI_SIZES = ['1024x1024', '1536x1024', '1024x1536'] as const;
// Width and height of the gpt-image models go as one `size` (the model's `sizes` say which).
const openAiSide = (name: 'width' | 'height'): InputSpec => ({ name, field: 'size', type: 'integer', min: 1024, max: 1536 });

const gptImage = (version: '2' | '1.5', description: string, images: { name: string; list: boolean; max: number }): CatalogueModel => ({
  alias: `gpt-image-${version}`,
  id: `openai/gpt-image-${version}`,
  description,
  inputs: [QUALITY, openAiSide('width'), openAiSide('height')],
  sizes: OPENAI_SIZES,
  send: 'model-input',
  answer: { encoding: 'url', format: 'png' },
  imageInput: { maxImages: images.max, field: { name: images.name, list: images.list } },
  defaultSize: { width: 1024, height: 1024 },
  maxPromptLength: 32_000,
  partner: true,
});

/** OpenAI GPT Image 2 (partner): quality tiers, three sizes, edits of up to 4 images. */
export const gptImage2 = gptImage('2', 'OpenAI GPT Image 2 (partner, billed in USD): text, edits', { name: 'images', list: true, max: 4 });
/** OpenAI GPT Image 1.5 (partner): quality tiers, three sizes, edits of one image. */
export const gptImage15 = gptImage('1.5', 'OpenAI GPT Image 1.5 (partner, billed in USD): text, edits', {
  name: 'image',
  list: false,
  max: 1,
});

/** Google Imagen 4 (partner): five aspect ratios. */
export const imagen4: CatalogueModel = {
  alias: 'imagen-4',
  id: 'google/imagen-4',
  description: 'Google Imagen 4 (partner, billed in USD): photorealism, five aspect ratios',
  inputs: [{ name: 'aspectRatio', field: 'aspect_ratio', type: 'string', values: ['1:1', '3:4', '4:3', '9:16', '16:9'] }],
  send: 'model-input',
  answer: { encoding: 'url', format: 'png' },
  defaultSize: { width: 1024, height: 1024 },
  maxPromptLength: 2048,
  partner: true,
};

const proSide = (name: 'width' | 'height'): InputSpec => ({ name, field: name, type: 'integer', min: 256, max: 2048 });

/** FLUX.2 [pro] Preview (partner): any size in range, up to 4 reference images. */
export const flux2ProPreview: CatalogueModel = {
  alias: 'flux-2-pro-preview',
  id: 'black-forest-labs/flux-2-pro-preview',
  description: 'FLUX.2 [pro] Preview (partner, billed in USD): production quality, references',
  inputs: [proSide('width'), proSide('height')],
  send: 'model-input',
  answer: { encoding: 'url', format: 'jpeg' },
  imageInput: { maxImages: 4, field: { name: 'input_images', list: true, dataUrl: true } },
  defaultSize: { width: 1024, height: 1024 },
  maxPromptLength: 2048,
  partner: true,
};
