// What each catalogue model costs, as Cloudflare publishes it: the model's page and its model file
// (cloudflare-docs src/content/workers-ai-models/*.json, property `price`), and the pricing page
// (developers.cloudflare.com/workers-ai/platform/pricing): Workers AI bills Neurons, $0.011 per
// 1,000, with 10,000 free a day (reset at 00:00 UTC). A model whose price is not published has
// none here: imagegen invents no cost for it.

/** US dollars per Neuron: $0.011 per 1,000 Neurons. */
export const USD_PER_NEURON = 0.011 / 1000;
/** Neurons every account may use a day at no charge. */
export const FREE_NEURONS_PER_DAY = 10_000;

/** Where a price was read, and when. */
interface PriceSource {
  source: string;
  read: string;
}

/**
 * A published price: per 512x512 tile of the output (and of each input image, FLUX.2), per step,
 * per tile and step together (FLUX.2 [dev]); in Neurons or in US dollars as the page states it.
 * `defaultSteps` is the number of steps Cloudflare documents for a call that sends none.
 */
export type ModelPrice =
  | (PriceSource & {
      unit: 'neurons' | 'usd';
      perOutputTile?: number;
      perInputTile?: number;
      perStep?: number;
      perOutputTileStep?: number;
      perInputTileStep?: number;
      defaultSteps?: number;
      /** A fixed step count (the FLUX.2 [klein] models run 4 whatever is asked). */
      fixedSteps?: number;
    })
  | (PriceSource & { unit: 'not-published'; note: string });

const READ = '2026-12-03';
const page = (model: string) => `https://developers.cloudflare.com/workers-ai/models/${model}/`;

/** Each catalogue model's price, by alias. */
export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  // The pricing page: 4.80 Neurons per 512x512 tile, 9.60 per step; steps default 4 (the schema's words).
  flux: { unit: 'neurons', perOutputTile: 4.8, perStep: 9.6, defaultSteps: 4, source: page('flux-1-schnell'), read: READ },
  'flux-2-dev': {
    unit: 'usd',
    perInputTileStep: 0.00021,
    perOutputTileStep: 0.00041,
    defaultSteps: 25,
    source: page('flux-2-dev'),
    read: READ,
  },
  'flux-2-klein-4b': {
    unit: 'usd',
    perInputTile: 0.000059,
    perOutputTile: 0.000287,
    fixedSteps: 4,
    source: page('flux-2-klein-4b'),
    read: READ,
  },
  'flux-2-klein-9b': { unit: 'not-published', note: 'its model page states no price', source: page('flux-2-klein-9b'), read: READ },
  sdxl: {
    unit: 'not-published',
    note: 'a beta model whose page states no price',
    source: page('stable-diffusion-xl-base-1.0'),
    read: READ,
  },
  // "price": 0 "per step", while in beta.
  'sdxl-lightning': { unit: 'usd', perStep: 0, defaultSteps: 20, source: page('stable-diffusion-xl-lightning'), read: READ },
  'dreamshaper-8-lcm': {
    unit: 'not-published',
    note: 'a beta model whose page states no price',
    source: page('dreamshaper-8-lcm'),
    read: READ,
  },
  'sd15-img2img': {
    unit: 'not-published',
    note: 'a beta model whose page states no price',
    source: page('stable-diffusion-v1-5-img2img'),
    read: READ,
  },
  'sd15-inpainting': {
    unit: 'not-published',
    note: 'a beta model whose page states no price',
    source: page('stable-diffusion-v1-5-inpainting'),
    read: READ,
  },
  phoenix: { unit: 'usd', perOutputTile: 0.0058, perStep: 0.00011, defaultSteps: 25, source: page('phoenix-1.0'), read: READ },
  // No default step count is published: a call that sets no steps has no cost to show.
  'lucid-origin': { unit: 'usd', perOutputTile: 0.007, perStep: 0.000132, source: page('lucid-origin'), read: READ },
  'gpt-image-2': {
    unit: 'not-published',
    note: 'its page sends you to the Cloudflare dashboard for prices',
    source: 'https://developers.cloudflare.com/ai/models/openai/gpt-image-2/',
    read: READ,
  },
  'gpt-image-1.5': {
    unit: 'not-published',
    note: 'its page sends you to the Cloudflare dashboard for prices',
    source: 'https://developers.cloudflare.com/ai/models/openai/gpt-image-1.5/',
    read: READ,
  },
  'imagen-4': {
    unit: 'not-published',
    note: 'its page sends you to the Cloudflare dashboard for prices',
    source: 'https://developers.cloudflare.com/ai/models/google/imagen-4/',
    read: READ,
  },
  'flux-2-pro-preview': {
    unit: 'not-published',
    note: 'its page sends you to the Cloudflare dashboard for prices',
    source: 'https://developers.cloudflare.com/ai/models/black-forest-labs/flux-2-pro-preview/',
    read: READ,
  },
};
