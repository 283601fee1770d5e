import { findModel } from './catalogue/catalogue.js';
import { FREE_NEURONS_PER_DAY, MODEL_PRICES, USD_PER_NEURON } from './catalogue/prices.js';
import { imageSize } from './image-size.js';
import type { ImageModel } from './models/model.js';

/** What an image cost: Neurons and dollars, or unknown (the model's price is not published), with why. */
export type ImageCost = { neurons: number; usd: number } | { unknown: string };

/** What decides a price: the output's size, the steps run, and the sizes of the input images sent. */
export interface CostInputs {
  width: number;
  height: number;
  steps?: number;
  inputImages?: ReadonlyArray<{ width: number; height: number }>;
}

/**
 * Tiles of 512x512 an image of this size takes. imagegen chose to count a partial tile as a whole
 * one on each side (as tile pricing elsewhere does): Cloudflare's pages do not say how it rounds.
 */
export const tilesOf = (width: number, height: number): number => Math.ceil(width / 512) * Math.ceil(height / 512);

/**
 * The cost of one image of `model` from its published price, or unknown and why.
 *
 * @example
 * imageCost('flux', { width: 1024, height: 1024, steps: 4 }); // { neurons: 57.6, usd: 0.0006336 }
 */
export function imageCost(model: string, inputs: CostInputs): ImageCost {
  const price = MODEL_PRICES[model];
  if (!price) return { unknown: `${model} is not in imagegen's price list` };
  if (price.unit === 'not-published') return { unknown: `${model}: ${price.note} (${price.source})` };
  const steps = price.fixedSteps ?? inputs.steps ?? price.defaultSteps;
  const usesSteps = price.perStep !== undefined || price.perOutputTileStep !== undefined || price.perInputTileStep !== undefined;
  if (usesSteps && steps === undefined) return { unknown: `${model}: its default step count is not published; set steps for a cost` };
  const output = tilesOf(inputs.width, inputs.height);
  const input = (inputs.inputImages ?? []).reduce((sum, image) => sum + tilesOf(image.width, image.height), 0);
  const n = steps ?? 0;
  const amount =
    (price.perOutputTile ?? 0) * output +
    (price.perInputTile ?? 0) * input +
    (price.perStep ?? 0) * n +
    (price.perOutputTileStep ?? 0) * output * n +
    (price.perInputTileStep ?? 0) * input * n;
  return price.unit === 'neurons' ? { neurons: amount, usd: amount * USD_PER_NEURON } : { neurons: amount / USD_PER_NEURON, usd: amount };
}

/** A call's inputs as far as its price goes: input images as bytes (their sizes read) or paths (estimated). */
export interface CallCostInputs {
  width?: number;
  height?: number;
  steps?: number;
  image?: Uint8Array | string | ReadonlyArray<Uint8Array | string>;
}

/**
 * The cost of one call from what it sends: its size (or the model's default), its steps (or the
 * model's default), its input images. An image given by path (a batch's estimate) counts as the
 * largest the model takes (FLUX.2: 512x512, one tile), since imagegen shrinks it to that.
 *
 * @example
 * callCost(model, { width: 768, height: 512, steps: 10 });
 */
export function callCost(model: Pick<ImageModel, 'name' | 'inputs' | 'imageInput'>, params: CallCostInputs): ImageCost {
  const size =
    params.width !== undefined && params.height !== undefined
      ? { width: params.width, height: params.height }
      : findModel(model.name)?.defaultSize;
  if (!size) return { unknown: `${model.name} is not in imagegen's catalogue` };
  const steps = params.steps ?? model.inputs.find((input) => input.name === 'steps')?.default;
  const images =
    params.image === undefined
      ? []
      : typeof params.image === 'string' || params.image instanceof Uint8Array
        ? [params.image]
        : params.image;
  const side = model.imageInput?.maxSide ?? 1024;
  const inputImages = images.flatMap((image) => (typeof image === 'string' ? [{ width: side, height: side }] : (imageSize(image) ?? [])));
  return imageCost(model.name, { ...size, ...(steps === undefined ? {} : { steps }), inputImages });
}

/** Nothing paid: an image imagegen's result cache answered. */
export const NO_COST: ImageCost = { neurons: 0, usd: 0 };

/** The sum of costs: unknown as soon as one is. */
export function totalCost(costs: readonly ImageCost[]): ImageCost {
  let neurons = 0;
  let usd = 0;
  for (const cost of costs) {
    if ('unknown' in cost) return cost;
    neurons += cost.neurons;
    usd += cost.usd;
  }
  return { neurons, usd };
}

/**
 * A cost in words: `$0.000634 (57.6 neurons, 0.58% of the daily free 10,000)`, or `unknown (why)`.
 *
 * @example
 * costText({ neurons: 57.6, usd: 0.0006336 }); // '$0.000634 (57.6 neurons, 0.58% of the free 10,000 a day)'
 */
export function costText(cost: ImageCost): string {
  if ('unknown' in cost) return `unknown (${cost.unknown})`;
  const share = (cost.neurons / FREE_NEURONS_PER_DAY) * 100;
  return `$${formatUsd(cost.usd)} (${formatNeurons(cost.neurons)} neurons, ${share < 0.01 && share > 0 ? '<0.01' : groupThousands(Number(share.toPrecision(3)))}% of the free ${groupThousands(FREE_NEURONS_PER_DAY)} a day)`;
}

/**
 * A number with commas between its thousands, as `toLocaleString('en-US')` writes it, without
 * loading Intl: that costs a one-shot command about 100 ms, more than the rest of its start-up.
 */
const groupThousands = (value: number): string => {
  const [whole, fraction] = String(value).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+$)/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
};

/**
 * Neurons to a tenth, with commas between thousands.
 *
 * @example
 * formatNeurons(12345.67); // '12,345.7'
 */
export const formatNeurons = (neurons: number): string => groupThousands(Number(neurons.toFixed(1)));

/** Dollars with enough digits to tell small costs apart: three significant figures below a cent. */
export const formatUsd = (usd: number): string => (usd === 0 ? '0' : usd >= 0.01 ? usd.toFixed(4) : Number(usd.toPrecision(3)).toString());
