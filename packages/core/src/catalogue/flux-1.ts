import { type CatalogueModel, SEED_INPUT } from './model-spec.js';

// developers.cloudflare.com/workers-ai/models/flux-1-schnell: prompt (1-2048), steps
// (default 4, max 8), `additionalProperties: false`; answers {"image": base64 JPEG}. Its schema
// lists no seed, though the page's examples send one and the Flux worker passes it on: imagegen
// sends a seed only when the caller gives one (checked 2026-12-03).

/** FLUX.1 [schnell], the model of the original Flux worker. */
export const flux1Schnell: CatalogueModel = {
  alias: 'flux',
  id: '@cf/black-forest-labs/flux-1-schnell',
  description: 'FLUX.1 [schnell]: fast, 1-8 steps',
  inputs: [
    { name: 'steps', field: 'steps', type: 'integer', min: 1, max: 8, default: 4 },
    { ...SEED_INPUT, inSchema: false },
  ],
  send: 'json',
  answer: { encoding: 'base64-json', format: 'jpeg' },
  defaultSize: { width: 1024, height: 1024 },
  maxPromptLength: 2048,
};
