import { type BudgetStore, sumUsage, type UsageRow } from '../budgets/budget-store.js';

/** The part of a Durable Object's storage the budgets use (`state.storage`). */
export interface StorageLike {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

/** Storage in memory, where no Durable Object storage is given (tests, a plain object). */
export class MemoryStorage implements StorageLike {
  private readonly values = new Map<string, unknown>();
  async get<T>(key: string): Promise<T | undefined> {
    return this.values.get(key) as T | undefined;
  }
  async put<T>(key: string, value: T): Promise<void> {
    this.values.set(key, value);
  }
}

/**
 * Per-key spend inside the gateway Worker's Durable Object, kept in its storage (it survives the
 * object's eviction: money is not kept in memory). A Durable Object's storage calls hold back other
 * requests until they finish (its input gates), so a check and its add are one step.
 *
 * @example
 * const budgets = new DurableBudgets(state.storage);
 */
export class DurableBudgets implements BudgetStore {
  constructor(private readonly storage: StorageLike) {}

  async reserve(key: string, period: string, amount: number, limit: number): Promise<{ ok: true } | { ok: false; taken: number }> {
    const id = `budget:${key}:${period}`;
    const taken = (await this.storage.get<number>(id)) ?? 0;
    if (taken + amount > limit) return { ok: false, taken };
    await this.storage.put(id, taken + amount);
    return { ok: true };
  }

  async settle(
    key: string,
    period: string,
    held: number,
    spent: { nanoUsd: number; images: number; model: string; day: string },
  ): Promise<void> {
    if (period !== '') {
      const id = `budget:${key}:${period}`;
      await this.storage.put(id, Math.max(0, ((await this.storage.get<number>(id)) ?? 0) + spent.nanoUsd - held));
    }
    const dayId = `usage:${spent.day}`;
    const day = (await this.storage.get<Record<string, [number, number]>>(dayId)) ?? {};
    const row = (day[`${key}\t${spent.model}`] ??= [0, 0]);
    row[0] += spent.nanoUsd;
    row[1] += spent.images;
    await this.storage.put(dayId, day);
  }

  async usage(days: readonly string[]): Promise<UsageRow[]> {
    const rows: UsageRow[] = [];
    for (const day of days) {
      for (const [id, [nanoUsd, images]] of Object.entries(
        (await this.storage.get<Record<string, [number, number]>>(`usage:${day}`)) ?? {},
      )) {
        const [key, model] = id.split('\t') as [string, string];
        rows.push({ key, model, nanoUsd, images });
      }
    }
    return sumUsage(rows);
  }
}
