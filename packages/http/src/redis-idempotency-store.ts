import type { Redis } from 'ioredis';
import { aborted, IDEMPOTENCY_TTL_MS, type IdempotencyClaim, type IdempotencyStore, type StoredAnswer } from './idempotency-store.js';

interface Record {
  fingerprint: string;
  answer?: StoredAnswer;
}

// A running request holds its key this long at most: a process that died while running frees it.
const RUNNING_TTL_MS = 15 * 60 * 1000;
const POLL_MS = 100;

/**
 * Idempotency keys in Redis, so that any gateway sharing it answers a repeated key: the first
 * request takes the key with `SET NX`; a second one while it runs polls until the answer is
 * there (or the key is freed); answers are kept 24 hours.
 *
 * @example
 * const store = new RedisIdempotencyStore(new Redis(process.env.IMAGEGEN_REDIS_URL));
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix = 'imagegen:idempotency:',
  ) {}

  async claim(key: string, fingerprint: string, signal?: AbortSignal): Promise<IdempotencyClaim> {
    const name = this.prefix + key;
    for (;;) {
      const running: Record = { fingerprint };
      if ((await this.client.set(name, JSON.stringify(running), 'PX', RUNNING_TTL_MS, 'NX')) === 'OK') return { kind: 'new' };
      const raw = await this.client.get(name);
      if (raw !== null) {
        const record = JSON.parse(raw) as Record;
        if (record.fingerprint !== fingerprint) return { kind: 'conflict' };
        if (record.answer) return { kind: 'replay', answer: record.answer };
      }
      await Promise.race([new Promise((resolve) => setTimeout(resolve, POLL_MS)), aborted(signal)]);
    }
  }

  async complete(key: string, fingerprint: string, answer: StoredAnswer): Promise<void> {
    const record: Record = { fingerprint, answer };
    await this.client.set(this.prefix + key, JSON.stringify(record), 'PX', IDEMPOTENCY_TTL_MS);
  }

  async release(key: string): Promise<void> {
    await this.client.del(this.prefix + key);
  }
}
