/** The q-quantile (0..1) of a list of numbers. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The arithmetic mean of a list of numbers. */
export const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/** A ratio to two decimals, as the table prints it. */
export const ratio = (value: number, baseline: number): number => Math.round((value / baseline) * 100) / 100;

/** Milliseconds since `started` (a performance.now() reading). */
export const since = (started: number): number => performance.now() - started;

/** A ratio measured round by round: the median of the rounds' ratios and their range. */
export interface RoundRatios {
  value: number;
  min: number;
  max: number;
  /** "min-max over N rounds", as the table prints it. */
  spread: string;
}

/**
 * Summarises per-round ratios (ours / baseline of the same round): the median, robust to a
 * round that the machine disturbed, and the range, printed beside it.
 */
export function roundRatios(ratios: readonly number[]): RoundRatios {
  const round2 = (value: number) => Math.round(value * 100) / 100;
  const value = round2(quantile(ratios, 0.5));
  const min = round2(Math.min(...ratios));
  const max = round2(Math.max(...ratios));
  return { value, min, max, spread: `${min.toFixed(2)}-${max.toFixed(2)} over ${ratios.length} rounds` };
}

/** {@link roundRatios} of two sides' figures round by round: `ours[i] / baseline[i]`. */
export const pairedRatios = (ours: readonly number[], baseline: readonly number[]): RoundRatios =>
  roundRatios(ours.map((value, round) => value / baseline[round]!));

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Runs `rounds` rounds of each side, alternating which goes first, and hands back each side's
 * figure per round (the order is alternated so that neither always meets a warm machine).
 */
export async function interleaved<S extends string, F = number>(
  sides: readonly S[],
  rounds: number,
  measure: (side: S, round: number) => Promise<F>,
): Promise<Record<S, F[]>> {
  const figures = Object.fromEntries(sides.map((side) => [side, [] as F[]])) as Record<S, F[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) figures[side].push(await measure(side, round));
  }
  return figures;
}
