import { type BudgetStore, type Spend, sumUsage, type UsageRow } from './budget-store.js';

/** A key-value storage: a Durable Object's `state.storage`, a JSON file, or memory. */
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
 * Per-key spend over a key-value storage: the gateway Worker's Durable Object storage (it survives
 * the object's eviction: money is not kept in memory) or, on one machine without Redis, a JSON file
 * that survives a restart. Operations run one at a time, so a check and its add are one step.
 *
 * @example
 * const budgets = new KeyValueBudgets(state.storage);
 */
export class KeyValueBudgets implements BudgetStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: StorageLike) {}

  /** Runs `work` after every operation before it (a failed one does not stop the next). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }

  reserve(key: string, period: string, amount: number, limit: number): Promise<{ ok: true } | { ok: false; taken: number }> {
    return this.serial(() => this.hold(key, period, amount, limit));
  }

  settle(key: string, period: string, held: number, spent: Spend): Promise<void> {
    return this.serial(() => this.record(key, period, held, spent));
  }

  private async hold(key: string, period: string, amount: number, limit: number): Promise<{ ok: true } | { ok: false; taken: number }> {
    const id = `budget:${key}:${period}`;
    const taken = (await this.storage.get<number>(id)) ?? 0;
    if (taken + amount > limit) return { ok: false, taken };
    await this.storage.put(id, taken + amount);
    return { ok: true };
  }

  private async record(key: string, period: string, held: number, spent: Spend): Promise<void> {
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
