import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type BudgetStore, sumUsage, type UsageRow } from './budget-store.js';

interface State {
  /** `key\tperiod` -> billionths of a dollar spent and held. */
  counters: Record<string, number>;
  /** day -> `key\tmodel` -> [billionths, images]. */
  usage: Record<string, Record<string, [number, number]>>;
}

const KEEP_DAYS = 62;

/**
 * The budget store of one gateway without Redis: in memory, written to a JSON file after every
 * change (a temporary file renamed over it, so a crash never leaves half a file), read back at
 * start: spend survives a restart. One process only; gateways that share keys share Redis.
 *
 * @example
 * const budgets = new FileBudgetStore('temp/images/.imagegen-budgets.json');
 */
export class FileBudgetStore implements BudgetStore {
  private writing: Promise<void> = Promise.resolve();
  private loading: Promise<State> | undefined;

  constructor(private readonly path: string) {}

  /** The state, read from the file at the first use (none yet: empty). */
  private load(): Promise<State> {
    this.loading ??= readFile(this.path, 'utf8').then(
      (text) => JSON.parse(text) as State,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return { counters: {}, usage: {} };
        throw error;
      },
    );
    return this.loading;
  }

  async reserve(key: string, period: string, amount: number, limit: number): Promise<{ ok: true } | { ok: false; taken: number }> {
    const state = await this.load();
    const id = `${key}\t${period}`;
    const taken = state.counters[id] ?? 0;
    if (taken + amount > limit) return { ok: false, taken };
    state.counters[id] = taken + amount;
    await this.save(state);
    return { ok: true };
  }

  async settle(
    key: string,
    period: string,
    held: number,
    spent: { nanoUsd: number; images: number; model: string; day: string },
  ): Promise<void> {
    const state = await this.load();
    const id = `${key}\t${period}`;
    if (period !== '') state.counters[id] = Math.max(0, (state.counters[id] ?? 0) + spent.nanoUsd - held);
    const day = (state.usage[spent.day] ??= {});
    const row = (day[`${key}\t${spent.model}`] ??= [0, 0]);
    row[0] += spent.nanoUsd;
    row[1] += spent.images;
    await this.save(state);
  }

  async usage(days: readonly string[]): Promise<UsageRow[]> {
    const state = await this.load();
    return sumUsage(
      days.flatMap((day) =>
        Object.entries(state.usage[day] ?? {}).map(([id, [nanoUsd, images]]) => {
          const [key, model] = id.split('\t') as [string, string];
          return { key, model, nanoUsd, images };
        }),
      ),
    );
  }

  /** Writes the state, one write after another; days past two months are dropped. */
  private save(state: State): Promise<void> {
    const oldest = new Date(Date.now() - KEEP_DAYS * 86_400_000).toISOString().slice(0, 10);
    for (const day of Object.keys(state.usage)) if (day < oldest) delete state.usage[day];
    const text = JSON.stringify(state);
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, this.path);
    });
    return this.writing;
  }
}
