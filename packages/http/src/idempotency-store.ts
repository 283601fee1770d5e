/** A finished answer, kept to be answered again for the same Idempotency-Key. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body, base64 (it crosses processes as JSON when the store is Redis). */
  body: string;
}

/** What a request with an Idempotency-Key may do. */
export type IdempotencyClaim =
  /** The key is new (or was released): run the request, then complete or release it. */
  | { kind: 'new' }
  /** The key's request finished: answer what it answered. */
  | { kind: 'replay'; answer: StoredAnswer }
  /** The key was used with another request: refuse (422). */
  | { kind: 'conflict' };

/**
 * Idempotency keys and the answers they gave: in memory for one process, in Redis for many.
 * A second request with a key whose first request still runs waits for it.
 */
export interface IdempotencyStore {
  /** Claims `key` for a request of `fingerprint`; waits while the same key's first request runs. */
  claim(key: string, fingerprint: string, signal?: AbortSignal): Promise<IdempotencyClaim>;
  /** The key's request succeeded: keep its answer (24 h). */
  complete(key: string, fingerprint: string, answer: StoredAnswer): Promise<void>;
  /** The key's request failed: the key is free again, a retry runs anew. */
  release(key: string): Promise<void>;
}

/** How long a key and its answer are kept: OpenAI's and Stripe's 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

interface Entry {
  fingerprint: string;
  answer?: StoredAnswer;
  expiresAt: number;
  /** Settles when the running request completes or releases the key. */
  settled: Promise<void>;
  settle: () => void;
}

/**
 * Idempotency keys of one process, kept 24 hours (expired ones are dropped as new ones come:
 * entries are kept in the order they were made, so the oldest are checked first).
 *
 * @example
 * const store = new InMemoryIdempotencyStore();
 * const claim = await store.claim('key:0:abc', fingerprint);
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, fingerprint: string, signal?: AbortSignal): Promise<IdempotencyClaim> {
    this.dropExpired();
    for (;;) {
      const entry = this.entries.get(key);
      if (!entry) {
        let settle!: () => void;
        const settled = new Promise<void>((resolve) => (settle = resolve));
        this.entries.set(key, { fingerprint, expiresAt: this.now() + this.ttlMs, settled, settle });
        return { kind: 'new' };
      }
      if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
      if (entry.answer) return { kind: 'replay', answer: entry.answer };
      await Promise.race([entry.settled, aborted(signal)]);
    }
  }

  async complete(key: string, fingerprint: string, answer: StoredAnswer): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, { fingerprint, answer, expiresAt: this.now() + this.ttlMs, settled: Promise.resolve(), settle: () => {} });
    entry?.settle();
  }

  async release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    entry?.settle();
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      if (entry.answer) this.entries.delete(key);
    }
  }
}

/** Rejects with the signal's reason when it aborts (a waiting client that went away). */
export function aborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the abort reason passes through as given
    if (signal?.aborted) reject(signal.reason);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
