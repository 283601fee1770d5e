import { type CatalogueModel, SEED_INPUT } from './model-spec.js';

// developers.cloudflare.com/workers-ai/models/phoenix-1.0: guidance 2-10 (default 2), num_steps
// 1-50 (default 25), width and height up to 2048 (default 1024), negative_prompt (minLength 1),
// seed; answers JPEG bytes. .../lucid-origin: guidance 0-10 (default 4.5), num_steps 1-40 (no
// default stated), width and height up to 2500 (default 1120), seed; answers {"image": base64}.
// Cloudflare's minimum size is 0; 64 is imagegen's floor, below which no model draws anything
// useful. Checked 2026-12-03.

/** Leonardo Phoenix 1.0. */
export const phoenix: CatalogueModel = {
  alias: 'phoenix',
  id: '@cf/leonardo/phoenix-1.0',
  description: 'Leonardo Phoenix 1.0: prompt adherence, text in images',
  inputs: [
    { name: 'negativePrompt', field: 'negative_prompt', type: 'string', minLength: 1 },
    { name: 'width', field: 'width', type: 'integer', min: 64, max: 2048, default: 1024 },
    { name: 'height', field: 'height', type: 'integer', min: 64, max: 2048, default: 1024 },
    { name: 'steps', field: 'num_steps', type: 'integer', min: 1, max: 50, default: 25 },
    { name: 'guidance', field: 'guidance', type: 'number', min: 2, max: 10, default: 2 },
    SEED_INPUT,
  ],
  send: 'json',
  answer: { encoding: 'binary', format: 'jpeg' },
  defaultSize: { width: 1024, height: 1024 },
  maxPromptLength: 2048,
};

/** Leonardo Lucid Origin. */
export const lucidOrigin: CatalogueModel = {
  alias: 'lucid-origin',
  id: '@cf/leonardo/lucid-origin',
  description: 'Leonardo Lucid Origin: versatile, full-HD renders',
  inputs: [
    { name: 'width', field: 'width', type: 'integer', min: 64, max: 2500, default: 1120 },
    { name: 'height', field: 'height', type: 'integer', min: 64, max: 2500, default: 1120 },
    { name: 'steps', field: 'num_steps', type: 'integer', min: 1, max: 40 },
    { name: 'guidance', field: 'guidance', type: 'number', min: 0, max: 10, default: 4.5 },
    SEED_INPUT,
  ],
  send: 'json',
  answer: { encoding: 'base64-json', format: 'jpeg' },
  defaultSize: { width: 1120, height: 1120 },
  maxPromptLength: 2048,
};
