import { makePng } from '@imagegen/testkit';
import { describe, expect, it } from 'vitest';
import { costText, formatNeurons, ImageGenerator, loadSettings, MemoryStore, type WorkersAiBinding } from '../src/index.js';

// Each model's cost against its published price, the figures written here as the pages state
// them (developers.cloudflare.com/workers-ai/models/*, read 2026-12-03), not read from the catalogue.
const NEURON_USD = 0.011 / 1000;
const PNG = makePng(8, 8);
const ai: WorkersAiBinding = { run: async () => ({ image: Buffer.from(PNG).toString('base64') }) };
const generator = new ImageGenerator({ settings: loadSettings({}), ai, store: new MemoryStore(), retry: { retries: 0 } });

async function costOf(model: string, options: Parameters<ImageGenerator['generate']>[2] = {}) {
  const result = await generator.generate(model, 'a fox', options);
  if (!result.ok) throw result.error;
  return result.cost;
}
const usd = (cost: unknown) => (cost as { usd: number }).usd;

describe('result.cost from published prices', () => {
  it('flux-1-schnell: 4.80 neurons a tile, 9.60 a step (1024x1024, 4 steps by default: 57.6 neurons)', async () => {
    expect(await costOf('flux')).toEqual({
      neurons: expect.closeTo(57.6, 6) as number,
      usd: expect.closeTo(57.6 * NEURON_USD, 9) as number,
    });
    const eight = await costOf('flux', { steps: 8 });
    expect((eight as { neurons: number }).neurons).toBeCloseTo(4 * 4.8 + 8 * 9.6, 6);
  });

  it('phoenix: $0.0058 a tile, $0.00011 a step', async () => {
    expect(usd(await costOf('phoenix'))).toBeCloseTo(4 * 0.0058 + 25 * 0.00011, 6);
    // 768x512: two tiles across, one down.
    expect(usd(await costOf('phoenix', { width: 768, height: 512, steps: 10 }))).toBeCloseTo(2 * 0.0058 + 10 * 0.00011, 6);
  });

  it('lucid-origin: $0.007 a tile, $0.000132 a step; no default step count published, so none is invented', async () => {
    expect(await costOf('lucid-origin')).toEqual({ unknown: expect.stringMatching(/default step count is not published/) as string });
    // 1120x1120 is three tiles each way.
    expect(usd(await costOf('lucid-origin', { steps: 20 }))).toBeCloseTo(9 * 0.007 + 20 * 0.000132, 6);
    expect(usd(await costOf('lucid-origin', { width: 1024, height: 1024, steps: 40 }))).toBeCloseTo(4 * 0.007 + 40 * 0.000132, 6);
  });

  it('flux-2-dev: $0.00021 per input tile per step, $0.00041 per output tile per step', async () => {
    // 1024x768 by default (4 tiles), 25 steps.
    expect(usd(await costOf('flux-2-dev'))).toBeCloseTo(25 * 4 * 0.00041, 6);
    const withImage = await costOf('flux-2-dev', { width: 512, height: 512, steps: 10, image: makePng(512, 512) });
    expect(usd(withImage)).toBeCloseTo(10 * (1 * 0.00021 + 1 * 0.00041), 6);
  });

  it('flux-2-klein-4b: $0.000059 per input tile, $0.000287 per output tile', async () => {
    expect(usd(await costOf('flux-2-klein-4b'))).toBeCloseTo(4 * 0.000287, 7);
    const edit = await costOf('flux-2-klein-4b', { width: 1024, height: 1024, image: [makePng(512, 512), makePng(256, 256)] });
    expect(usd(edit)).toBeCloseTo(2 * 0.000059 + 4 * 0.000287, 7);
  });

  it('sdxl-lightning is $0 while in beta; models without a published price say unknown', async () => {
    expect(await costOf('sdxl-lightning')).toEqual({ neurons: 0, usd: 0 });
    for (const model of ['sdxl', 'flux-2-klein-9b', 'gpt-image-2']) {
      expect(await costOf(model)).toEqual({ unknown: expect.stringContaining(model) as string });
    }
  });

  it('a cache hit costs nothing: no upstream call was paid for', async () => {
    const kept = new Map<string, Uint8Array>();
    const cached = new ImageGenerator({
      settings: loadSettings({}),
      ai,
      store: new MemoryStore(),
      resultCache: {
        get: async (key) => (kept.has(key) ? { bytes: kept.get(key)! } : undefined),
        put: async (key, bytes) => void kept.set(key, bytes),
      },
    });
    const first = await cached.generate('phoenix', 'a fox', { seed: 5 });
    const again = await cached.generate('phoenix', 'a fox', { seed: 5 });
    expect(first.ok && usd(first.cost)).toBeGreaterThan(0);
    expect(again).toMatchObject({ ok: true, cached: true, cost: { neurons: 0, usd: 0 } });
  });

  it('in words, with the share of the daily free allocation', () => {
    expect(costText({ neurons: 57.6, usd: 57.6 * NEURON_USD })).toBe('$0.000634 (57.6 neurons, 0.576% of the free 10,000 a day)');
    expect(costText({ unknown: 'sdxl: no price' })).toBe('unknown (sdxl: no price)');
    expect(costText({ neurons: 25_000, usd: 0.275 })).toBe('$0.2750 (25,000 neurons, 250% of the free 10,000 a day)');
  });
});

describe('formatNeurons', () => {
  it('writes tenths with commas between thousands, as en-US does, without Intl', () => {
    for (const value of [0, 0.04, 57.6, 999.95, 1234, 12_345.67, 1_234_567.8, 100_000_000]) {
      expect(formatNeurons(value)).toBe(Number(value.toFixed(1)).toLocaleString('en-US'));
    }
  });
});
