import type { BudgetStore } from './budget-store.js';
import type { KeyEntry } from './key-entries.js';

const DAY_MS = 86_400_000;

/** The UTC days of the current day or month, up to today. */
function daysOf(period: 'day' | 'month', now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  if (period === 'day') return [today];
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const days: string[] = [];
  for (let at = first; at <= now.getTime(); at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** Spend of one key: in all, and per model. */
export interface KeyUsage {
  name: string;
  usd: number;
  images: number;
  models: Array<{ model: string; usd: number; images: number }>;
  maxBudget?: number;
  budgetDuration?: '1d' | '30d';
}

/**
 * Spend per key and model over the current UTC day or month, in US dollars by the models'
 * published prices: every key of the keys file (none spent: zero), and any other name the store
 * holds (a key since removed from the file).
 *
 * @example
 * const report = await usageReport(store, entries, 'day', new Date());
 */
export async function usageReport(store: BudgetStore, entries: readonly KeyEntry[], period: 'day' | 'month', now: Date) {
  const days = daysOf(period, now);
  const rows = await store.usage(days);
  const names = [...new Set([...entries.map((entry) => entry.name), ...rows.map((row) => row.key)])];
  const keys: KeyUsage[] = names.map((name) => {
    const entry = entries.find((candidate) => candidate.name === name);
    const mine = rows.filter((row) => row.key === name);
    return {
      name,
      usd: mine.reduce((sum, row) => sum + row.nanoUsd, 0) / 1e9,
      images: mine.reduce((sum, row) => sum + row.images, 0),
      models: mine.map((row) => ({ model: row.model, usd: row.nanoUsd / 1e9, images: row.images })),
      ...(entry?.maxBudget === undefined ? {} : { maxBudget: entry.maxBudget, budgetDuration: entry.budgetDuration }),
    };
  });
  return {
    object: 'usage' as const,
    period,
    from: days[0]!,
    to: days.at(-1)!,
    keys,
    total: { usd: keys.reduce((sum, key) => sum + key.usd, 0), images: keys.reduce((sum, key) => sum + key.images, 0) },
  };
}
