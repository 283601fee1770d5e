import {
  AdaptiveLimiters,
  type AttemptOutcome,
  type LimiterState,
  systemClock,
  type UpstreamLimiter,
  type UpstreamPermit,
} from '@imagegen/core';
import { type IdempotencyClaim, type IdempotencyStore, InMemoryIdempotencyStore, type StoredAnswer } from '../idempotency-store.js';
import { type RateLimiter, TokenBucketLimiter } from '../rate-limit.js';
import type { BudgetStore, Spend, UsageRow } from '../budgets/budget-store.js';
import { KeyValueBudgets, MemoryStorage, type StorageLike } from '../budgets/key-value-budgets.js';

/** The part of a Durable Object namespace binding (`env.IMAGEGEN_STATE`) the gateway uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

type Operation =
  | { op: 'claim'; key: string; fingerprint: string }
  | { op: 'complete'; key: string; fingerprint: string; answer: StoredAnswer }
  | { op: 'release'; key: string }
  | { op: 'take'; client: string }
  | { op: 'acquire'; key: string }
  | { op: 'settle'; permit: number; outcome: AttemptOutcome }
  | { op: 'states' }
  | { op: 'reserve'; key: string; period: string; amount: number; limit: number }
  | { op: 'spend'; key: string; period: string; held: number; spent: Spend }
  | { op: 'usage'; days: string[] }
  | { op: 'rpm'; client: string; perMinute: number };

const positive = (text: string | undefined, fallback: number): number => {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
};

/**
 * The gateway Worker's shared state, one Durable Object for every isolate: Idempotency-Key
 * claims and answers (a second request with a running key waits for it, as in one process), the
 * per-key token buckets (`IMAGEGEN_RATE_LIMIT_BURST`, `IMAGEGEN_RATE_LIMIT_PER_SECOND`, as
 * `imagegen serve` reads them), and the pace of the upstream (the adaptive limiter every
 * attempt of every isolate takes a permit from, so that together they meet the account's limit),
 * and the spend of `IMAGEGEN_KEYS` entries with budgets. A Durable Object runs one request at a
 * time between awaits, so its in-memory maps need no lock. Idempotency keys and buckets are kept in
 * memory (if Cloudflare evicts the object they start afresh: imagegen's choice, no storage write
 * on every request); budgets are kept in its storage.
 *
 * @example
 * // wrangler: [[durable_objects.bindings]] name = "IMAGEGEN_STATE", class_name = "ImagegenState"
 * export { ImagegenState } from '@imagegen/http/worker';
 */
export class ImagegenState {
  private readonly idempotency = new InMemoryIdempotencyStore();
  private readonly limiter: TokenBucketLimiter;
  private readonly upstream = new AdaptiveLimiters({ clock: systemClock });
  private readonly permits = new Map<number, UpstreamPermit>();
  private nextPermit = 0;
  private readonly budgets: KeyValueBudgets;
  // Each keys file entry's rpm: a bucket per key name, made at its first request.
  private readonly rpm = new Map<string, TokenBucketLimiter>();

  constructor(
    state: { storage?: StorageLike } | undefined,
    env: { IMAGEGEN_RATE_LIMIT_BURST?: string; IMAGEGEN_RATE_LIMIT_PER_SECOND?: string } = {},
  ) {
    this.limiter = new TokenBucketLimiter({
      burst: positive(env.IMAGEGEN_RATE_LIMIT_BURST, 60),
      perSecond: positive(env.IMAGEGEN_RATE_LIMIT_PER_SECOND, 10),
    });
    this.budgets = new KeyValueBudgets(state?.storage ?? new MemoryStorage());
  }

  async fetch(request: Request): Promise<Response> {
    const operation = (await request.json()) as Operation;
    switch (operation.op) {
      case 'claim':
        return Response.json(await this.idempotency.claim(operation.key, operation.fingerprint));
      case 'complete':
        await this.idempotency.complete(operation.key, operation.fingerprint, operation.answer);
        return Response.json({});
      case 'release':
        await this.idempotency.release(operation.key);
        return Response.json({});
      case 'take':
        return Response.json(await this.limiter.take(operation.client));
      case 'acquire': {
        // Waits here while the upstream is at its pace; other requests go on meanwhile.
        const permit = await this.upstream.acquire(operation.key, request.signal);
        const id = ++this.nextPermit;
        this.permits.set(id, permit);
        return Response.json({ permit: id });
      }
      case 'settle':
        this.permits.get(operation.permit)?.release(operation.outcome);
        this.permits.delete(operation.permit);
        return Response.json({});
      case 'states':
        return Response.json(this.upstream.states());
      case 'reserve':
        return Response.json(await this.budgets.reserve(operation.key, operation.period, operation.amount, operation.limit));
      case 'spend':
        await this.budgets.settle(operation.key, operation.period, operation.held, operation.spent);
        return Response.json({});
      case 'usage':
        return Response.json(await this.budgets.usage(operation.days));
      case 'rpm': {
        let bucket = this.rpm.get(operation.client);
        if (!bucket)
          this.rpm.set(
            operation.client,
            (bucket = new TokenBucketLimiter({ burst: operation.perMinute, perSecond: operation.perMinute / 60 })),
          );
        return Response.json(await bucket.take(operation.client));
      }
      default:
        return new Response('unknown operation', { status: 400 });
    }
  }
}

/**
 * The Durable Object seen from an isolate: the gateway's `IdempotencyStore` and `RateLimiter`,
 * and the generator's `UpstreamLimiter`.
 *
 * @example
 * const state = new DurableState(env.IMAGEGEN_STATE);
 * createGatewayApp({ ..., idempotency: state, limiter: state });
 * new ImageGenerator({ ..., limiter: state });
 */
export class DurableState implements IdempotencyStore, RateLimiter, UpstreamLimiter, BudgetStore {
  constructor(private readonly namespace: DurableObjectNamespaceLike) {}

  private async call<T>(operation: Operation): Promise<T> {
    // A stub per call: a Worker may not use an I/O object made for another request.
    const stub = this.namespace.get(this.namespace.idFromName('imagegen'));
    const response = await stub.fetch('https://imagegen-state/', { method: 'POST', body: JSON.stringify(operation) });
    if (!response.ok) throw new Error(`the state object answered ${response.status}`);
    return (await response.json()) as T;
  }

  claim(key: string, fingerprint: string): Promise<IdempotencyClaim> {
    return this.call({ op: 'claim', key, fingerprint });
  }

  async complete(key: string, fingerprint: string, answer: StoredAnswer): Promise<void> {
    await this.call({ op: 'complete', key, fingerprint, answer });
  }

  async release(key: string): Promise<void> {
    await this.call({ op: 'release', key });
  }

  take(client: string): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    return this.call({ op: 'take', client });
  }

  async acquire(key: string, signal?: AbortSignal): Promise<UpstreamPermit> {
    signal?.throwIfAborted();
    const { permit } = await this.call<{ permit: number }>({ op: 'acquire', key });
    // Settled before the attempt's request ends (the attempt releases it as it finishes).
    return { release: (outcome) => void this.call({ op: 'settle', permit, outcome }).catch(() => {}) };
  }

  reserve(key: string, period: string, amount: number, limit: number): Promise<{ ok: true } | { ok: false; taken: number }> {
    return this.call({ op: 'reserve', key, period, amount, limit });
  }

  async settle(key: string, period: string, held: number, spent: Spend): Promise<void> {
    await this.call({ op: 'spend', key, period, held, spent });
  }

  usage(days: readonly string[]): Promise<UsageRow[]> {
    return this.call({ op: 'usage', days: [...days] });
  }

  /** A keys file entry's own `rpm`, counted in the object for every isolate. */
  takeRpm(client: string, perMinute: number): Promise<{ allowed: true } | { allowed: false; retryAfterMs: number }> {
    return this.call({ op: 'rpm', client, perMinute });
  }

  /** Known only to the Durable Object: an isolate sees none (metrics read them there). */
  states(): Record<string, LimiterState> {
    return {};
  }
}
