// Cloudflare's published input schemas of the Workers AI image models, transcribed by hand from
// the model files behind developers.cloudflare.com/workers-ai/models (cloudflare-docs,
// src/content/workers-ai-models/*.json) and the changelogs, read 2026-12-03. Written from the
// docs, never from imagegen's catalogue: the catalogue is tested against this table, and the
// REST emulation (`startSchemaCheckedWorkersAi`) refuses what these schemas refuse.

/** A JSON Schema of one model's input, as Cloudflare publishes it. */
export interface InputSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required: string[];
  additionalProperties?: false;
}

/** One model's published facts: its input schema, how it takes it and how it answers. */
export interface ModelFacts {
  schema: InputSchema;
  /** JSON body, multipart form (FLUX.2: its JSON schema says only `multipart`; the fields are the changelog's), or `{ model, input }` on `/ai/run` (partner models). */
  send: 'json' | 'multipart' | 'model-input';
  /** Base64 in JSON (`{"image"}`), the image bytes, or a URL to the image (partner models). */
  answer: { encoding: 'base64-json' | 'binary' | 'url'; format: 'png' | 'jpeg' };
  /** Where the facts come from. */
  source: string;
}

const prompt = (maxLength?: number) => ({ type: 'string', minLength: 1, ...(maxLength ? { maxLength } : {}) });
const byteArray = { type: 'array', items: { type: 'number' } };

// stable-diffusion-xl-base-1.0.json, stable-diffusion-xl-lightning.json, dreamshaper-8-lcm.json,
// stable-diffusion-v1-5-img2img.json, stable-diffusion-v1-5-inpainting.json: one schema. No
// default size; guidance and strength have no range in it ("a value between 0 and 1" is prose).
const stableDiffusion: InputSchema = {
  type: 'object',
  properties: {
    prompt: prompt(),
    negative_prompt: { type: 'string' },
    height: { type: 'integer', minimum: 256, maximum: 2048 },
    width: { type: 'integer', minimum: 256, maximum: 2048 },
    image: byteArray,
    image_b64: { type: 'string' },
    mask: byteArray,
    num_steps: { type: 'integer', default: 20, maximum: 20 },
    strength: { type: 'number', default: 1 },
    guidance: { type: 'number', default: 7.5 },
    seed: { type: 'integer' },
  },
  required: ['prompt'],
};
const sdFacts = (file: string): ModelFacts => ({
  schema: stableDiffusion,
  send: 'json',
  answer: { encoding: 'binary', format: 'png' },
  source: `workers-ai-models/${file}.json`,
});

// FLUX.2: the 2025-11-25 changelog and the flux-2-dev page (form fields prompt, steps, guidance,
// width, height, seed; up to 4 input images of at most 512x512); klein: the 2026-01-15 and
// 2026-01-28 changelogs (a fixed 4 steps; optional guidance and seed; default height 768).
const flux2Fields = (withSteps: boolean): InputSchema => ({
  type: 'object',
  properties: {
    prompt: prompt(),
    ...(withSteps ? { steps: { type: 'integer', minimum: 1, maximum: 50, default: 25 } } : {}),
    guidance: { type: 'number', ...(withSteps ? { minimum: 0, maximum: 20, default: 4 } : {}) },
    width: { type: 'integer', minimum: 256, maximum: 1920, default: 1024 },
    height: { type: 'integer', minimum: 256, maximum: 1920, default: 768 },
    seed: { type: 'integer', minimum: 0 },
    input_image_0: {},
    input_image_1: {},
    input_image_2: {},
    input_image_3: {},
  },
  required: ['prompt'],
});

// The partner models' pages (developers.cloudflare.com/ai/models/...) show examples and parameter
// names, not JSON schemas; these are the parameters they show, with OpenAI's sizes and quality
// tiers for its gpt-image models. No `additionalProperties: false` is stated for any of them.
const partner = (properties: InputSchema['properties'], format: 'png' | 'jpeg', source: string): ModelFacts => ({
  schema: { type: 'object', properties: { prompt: prompt(), ...properties }, required: ['prompt'] },
  send: 'model-input',
  answer: { encoding: 'url', format },
  source,
});
const gptImage = {
  quality: { type: 'string', enum: ['low', 'medium', 'high', 'auto'] },
  size: { type: 'string', enum: ['1024x1024', '1536x1024', '1024x1536', 'auto'] },
  output_format: { type: 'string', enum: ['png', 'jpeg', 'webp'] },
};

/** The facts by Workers AI model id. */
export const CLOUDFLARE_MODEL_FACTS: Readonly<Record<string, ModelFacts>> = {
  // flux-1-schnell.json: only prompt (1-2048) and steps (max 8; "Default is 4" in its description),
  // additionalProperties false.
  '@cf/black-forest-labs/flux-1-schnell': {
    schema: {
      type: 'object',
      properties: { prompt: prompt(2048), steps: { type: 'integer', maximum: 8, default: 4 } },
      required: ['prompt'],
      additionalProperties: false,
    },
    send: 'json',
    answer: { encoding: 'base64-json', format: 'jpeg' },
    source: 'workers-ai-models/flux-1-schnell.json',
  },
  '@cf/black-forest-labs/flux-2-dev': {
    schema: flux2Fields(true),
    send: 'multipart',
    answer: { encoding: 'base64-json', format: 'png' },
    source: 'changelog 2025-11-25, models/flux-2-dev',
  },
  '@cf/black-forest-labs/flux-2-klein-4b': {
    schema: flux2Fields(false),
    send: 'multipart',
    answer: { encoding: 'base64-json', format: 'png' },
    source: 'changelog 2026-01-15',
  },
  '@cf/black-forest-labs/flux-2-klein-9b': {
    schema: flux2Fields(false),
    send: 'multipart',
    answer: { encoding: 'base64-json', format: 'png' },
    source: 'changelog 2026-01-28',
  },
  '@cf/stabilityai/stable-diffusion-xl-base-1.0': sdFacts('stable-diffusion-xl-base-1.0'),
  '@cf/bytedance/stable-diffusion-xl-lightning': sdFacts('stable-diffusion-xl-lightning'),
  '@cf/lykon/dreamshaper-8-lcm': sdFacts('dreamshaper-8-lcm'),
  '@cf/runwayml/stable-diffusion-v1-5-img2img': sdFacts('stable-diffusion-v1-5-img2img'),
  '@cf/runwayml/stable-diffusion-v1-5-inpainting': sdFacts('stable-diffusion-v1-5-inpainting'),
  // phoenix-1.0.json: answers JPEG bytes.
  '@cf/leonardo/phoenix-1.0': {
    schema: {
      type: 'object',
      properties: {
        prompt: prompt(),
        guidance: { type: 'number', default: 2, minimum: 2, maximum: 10 },
        seed: { type: 'integer', minimum: 0 },
        height: { type: 'integer', minimum: 0, maximum: 2048, default: 1024 },
        width: { type: 'integer', minimum: 0, maximum: 2048, default: 1024 },
        num_steps: { type: 'integer', default: 25, minimum: 1, maximum: 50 },
        negative_prompt: { type: 'string', minLength: 1 },
      },
      required: ['prompt'],
    },
    send: 'json',
    answer: { encoding: 'binary', format: 'jpeg' },
    source: 'workers-ai-models/phoenix-1.0.json',
  },
  // lucid-origin.json: num_steps (and its alias steps) 1-40 with no default.
  '@cf/leonardo/lucid-origin': {
    schema: {
      type: 'object',
      properties: {
        prompt: prompt(),
        guidance: { type: 'number', default: 4.5, minimum: 0, maximum: 10 },
        seed: { type: 'integer', minimum: 0 },
        height: { type: 'integer', minimum: 0, maximum: 2500, default: 1120 },
        width: { type: 'integer', minimum: 0, maximum: 2500, default: 1120 },
        num_steps: { type: 'integer', minimum: 1, maximum: 40 },
        steps: { type: 'integer', minimum: 1, maximum: 40 },
      },
      required: ['prompt'],
    },
    send: 'json',
    answer: { encoding: 'base64-json', format: 'jpeg' },
    source: 'workers-ai-models/lucid-origin.json',
  },
  'openai/gpt-image-2': partner(
    { ...gptImage, images: { type: 'array', items: { type: 'string' } } },
    'png',
    'ai/models/openai/gpt-image-2',
  ),
  'openai/gpt-image-1.5': partner(
    { ...gptImage, image: { type: 'string' }, background: { type: 'string', enum: ['transparent', 'opaque', 'auto'] } },
    'png',
    'ai/models/openai/gpt-image-1.5',
  ),
  'google/imagen-4': partner(
    {
      aspect_ratio: { type: 'string', enum: ['1:1', '3:4', '4:3', '9:16', '16:9'] },
      person_generation: { type: 'string', enum: ['dont_allow', 'allow_adult'] },
    },
    'png',
    'ai/models/google/imagen-4',
  ),
  'black-forest-labs/flux-2-pro-preview': partner(
    { width: { type: 'integer' }, height: { type: 'integer' }, input_images: { type: 'array', items: { type: 'string' } } },
    'jpeg',
    'ai/models/black-forest-labs/flux-2-pro-preview',
  ),
};
