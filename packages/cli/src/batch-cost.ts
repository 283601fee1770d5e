import { callCost, costText, defaultModels, FREE_NEURONS_PER_DAY, formatNeurons, formatUsd, type ImageCost } from '@imagegen/core';
import { type BatchItem, readBatch } from './batch-input.js';

/** A line's estimated cost before it runs: from its model's published price and the inputs it sets. */
export function lineCost(item: BatchItem): ImageCost {
  const model = defaultModels[item.model] ?? Object.values(defaultModels).find((candidate) => candidate.workersAiName === item.model);
  if (!model) return { unknown: `unknown model ${item.model}` };
  return callCost(model, { ...item.params, ...(item.image === undefined ? {} : { image: item.image }) });
}

/**
 * What a batch has spent and holds for the images running now, against `--max-cost`: an image
 * starts only when what is spent and held plus its own estimate stays within the limit (so
 * concurrent images can't pass it together), and its real cost replaces its estimate when done.
 */
export class BatchSpend {
  private spentUsd = 0;
  private spentNeurons = 0;
  private heldUsd = 0;
  private unknown = 0;

  constructor(private readonly maxUsd: number | undefined) {}

  /** Holds a line's estimate, or says why it must not start. */
  hold(estimate: ImageCost): { ok: true; held: number } | { ok: false; why: string } {
    if (this.maxUsd === undefined) return { ok: true, held: 0 };
    if ('unknown' in estimate) return { ok: false, why: `its cost is unknown (${estimate.unknown}), so --max-cost can't be kept` };
    if (this.spentUsd + this.heldUsd + estimate.usd > this.maxUsd + 1e-12) {
      return {
        ok: false,
        why: `it would pass --max-cost $${this.maxUsd} ($${formatUsd(this.spentUsd)} spent, $${formatUsd(estimate.usd)} more)`,
      };
    }
    this.heldUsd += estimate.usd;
    return { ok: true, held: estimate.usd };
  }

  /** Settles a line: its hold released, its real cost (none for a failure) added. */
  settle(held: number, cost: ImageCost | undefined): void {
    this.heldUsd -= held;
    if (!cost) return;
    if ('unknown' in cost) this.unknown++;
    else {
      this.spentUsd += cost.usd;
      this.spentNeurons += cost.neurons;
    }
  }

  /** The summary's words: `$0.0127 (1,154 neurons)`, and how many images had no published price. */
  describe(): string {
    const unknown = this.unknown > 0 ? `, ${this.unknown} image${this.unknown === 1 ? '' : 's'} of unknown cost` : '';
    return `cost $${formatUsd(this.spentUsd)} (${formatNeurons(this.spentNeurons)} neurons${unknown})`;
  }
}

/**
 * `imagegen batch --dry-run`: every line's estimate, added up, with the share of the daily free
 * Neurons it takes; nothing is sent anywhere.
 *
 * @example
 * const lines = await dryRun('prompts.txt', 'flux');
 */
export async function dryRun(source: string, model: string): Promise<string[]> {
  let images = 0;
  let usd = 0;
  let neurons = 0;
  const unknown = new Map<string, number>();
  for await (const item of readBatch(source, model)) {
    if (item.problem) continue;
    images++;
    const cost = lineCost(item);
    if ('unknown' in cost) unknown.set(item.model, (unknown.get(item.model) ?? 0) + 1);
    else {
      usd += cost.usd;
      neurons += cost.neurons;
    }
  }
  const share = (neurons / FREE_NEURONS_PER_DAY) * 100;
  const lines = [
    `${images} images: estimated ${costText({ neurons, usd })}`,
    share > 100
      ? `that is ${(neurons / FREE_NEURONS_PER_DAY).toFixed(1)} days of the free allocation (10,000 neurons a day, reset at 00:00 UTC); the rest is billed at $0.011 per 1,000 neurons on Workers Paid`
      : `that is ${share.toFixed(2)}% of a day's free allocation (10,000 neurons, reset at 00:00 UTC)`,
  ];
  for (const [name, count] of unknown) lines.push(`${count} images of ${name}: cost unknown (no published price), not counted`);
  lines.push('dry run: nothing was sent');
  return lines;
}
