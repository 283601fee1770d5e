import type { Redis } from 'ioredis';
import { type BudgetStore, BudgetStoreUnavailable, type Spend, sumUsage, type UsageRow } from './budget-store.js';

// Check and add in one step: no other gateway's reservation can come between them.
const RESERVE = `
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, taken} end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, taken + tonumber(ARGV[1])}
`;
const USAGE_TTL_S = 62 * 86_400;

/**
 * Per-key spend in Redis, shared by every gateway and queue worker of the deployment. Each call
 * answers within `timeoutMs` or fails with {@link BudgetStoreUnavailable}: a budget that can't be
 * checked fails closed, fast.
 *
 * @example
 * const budgets = new RedisBudgetStore(new Redis(process.env.IMAGEGEN_REDIS_URL));
 */
export class RedisBudgetStore implements BudgetStore {
  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs = 1000,
    private readonly prefix = 'imagegen:budget',
  ) {}

  async reserve(
    key: string,
    period: string,
    amount: number,
    limit: number,
    ttlMs: number,
  ): Promise<{ ok: true } | { ok: false; taken: number }> {
    const [ok, taken] = (await this.answer(this.redis.eval(RESERVE, 1, `${this.prefix}:${key}:${period}`, amount, limit, ttlMs))) as [
      number,
      number,
    ];
    return ok === 1 ? { ok: true } : { ok: false, taken: Number(taken) };
  }

  async settle(key: string, period: string, held: number, spent: Spend): Promise<void> {
    const field = `${key}\t${spent.model}`;
    const usage = `${this.prefix}:usage:${spent.day}`;
    const images = `${this.prefix}:images:${spent.day}`;
    const batch = this.redis.multi();
    if (period !== '') batch.incrby(`${this.prefix}:${key}:${period}`, Math.round(spent.nanoUsd - held));
    await this.answer(
      batch
        .hincrby(usage, field, Math.round(spent.nanoUsd))
        .hincrby(images, field, spent.images)
        .expire(usage, USAGE_TTL_S)
        .expire(images, USAGE_TTL_S)
        .exec(),
    );
  }

  async usage(days: readonly string[]): Promise<UsageRow[]> {
    const rows: UsageRow[] = [];
    for (const day of days) {
      const [usd, images] = await this.answer(
        Promise.all([this.redis.hgetall(`${this.prefix}:usage:${day}`), this.redis.hgetall(`${this.prefix}:images:${day}`)]),
      );
      for (const [field, value] of Object.entries(usd)) {
        const [key, model] = field.split('\t') as [string, string];
        rows.push({ key, model, nanoUsd: Number(value), images: Number(images[field] ?? 0) });
      }
    }
    return sumUsage(rows);
  }

  /** The command's answer, or BudgetStoreUnavailable when Redis does not answer in time or fails. */
  private async answer<T>(command: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BudgetStoreUnavailable(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([command, late]);
    } catch (error) {
      if (error instanceof BudgetStoreUnavailable) throw error;
      throw new BudgetStoreUnavailable(`Redis failed: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
