/** One key's spend on one model over some days, as `/v1/usage` and `imagegen usage` report it. */
export interface UsageRow {
  key: string;
  model: string;
  /** US dollars, in billionths (whole numbers add up without rounding drift). */
  nanoUsd: number;
  images: number;
}

/** What a request's images cost, recorded for a key: billionths of a dollar, images, their model, the UTC day. */
export interface Spend {
  nanoUsd: number;
  images: number;
  model: string;
  day: string;
}

/** A store that did not answer: a budget can't be checked, so nothing is made. */
export class BudgetStoreUnavailable extends Error {}

/**
 * Where per-key spend lives: Redis when gateways share it, a file otherwise. Amounts are
 * billionths of a dollar. A key's counter for a period holds what it spent plus what running
 * requests hold, so a reservation is one atomic check-and-add: concurrent requests (on any
 * gateway sharing the store) can't pass the budget together.
 */
export interface BudgetStore {
  /** Holds `amount` of `key`'s budget for `period` when spent and held plus `amount` stay within `limit`; else says what is taken. */
  reserve(key: string, period: string, amount: number, limit: number, ttlMs: number): Promise<{ ok: true } | { ok: false; taken: number }>;
  /** Ends a hold: the counter moves by `spent - held` (no counter for `period` ''), and the spend is recorded per model for `day`. */
  settle(key: string, period: string, held: number, spent: Spend): Promise<void>;
  /** What each key spent on each model over `days` (`2026-12-03`, ...). */
  usage(days: readonly string[]): Promise<UsageRow[]>;
  close?(): Promise<void>;
}

/** The usage rows of several days added up per key and model. */
export function sumUsage(rows: readonly UsageRow[]): UsageRow[] {
  const sums = new Map<string, UsageRow>();
  for (const row of rows) {
    const id = `${row.key}\t${row.model}`;
    const sum = sums.get(id) ?? { key: row.key, model: row.model, nanoUsd: 0, images: 0 };
    sum.nanoUsd += row.nanoUsd;
    sum.images += row.images;
    sums.set(id, sum);
  }
  return [...sums.values()].sort((a, b) => a.key.localeCompare(b.key) || a.model.localeCompare(b.model));
}
