import { callCost, defaultModels, formatUsd, type ImageCost, paramsTakenBy } from '@imagegen/core';
import { GatewayError } from '../openai-error.js';
import type { ParsedGeneration } from '../routes/generation-request.js';
import { budgetPeriod, usageDay } from './budget-period.js';
import { type BudgetStore, BudgetStoreUnavailable } from './budget-store.js';
import type { KeyEntry } from './key-entries.js';

/** Where the gateway keeps per-key spend, and its clock. */
export interface BudgetGuard {
  store: BudgetStore;
  now?: () => Date;
}

const NANO = 1e9;

const unavailable = (error: BudgetStoreUnavailable): GatewayError =>
  new GatewayError({
    status: 503,
    message: `The budget store did not answer (${error.message}): no image is made without its budget checked; retry shortly`,
    type: 'server_error',
    code: 'budget_store_unavailable',
    headers: { 'retry-after': '2' },
  });

/**
 * Checks a request against its key before anything is sent: a model the key may use, and, for a
 * key with a budget, the estimate of its `n` images held in the shared store (so concurrent
 * requests on any gateway can't overshoot). Resolves to the settlement to call with the costs of
 * the images made (none when all failed): the hold is released and the real spend recorded.
 *
 * @example
 * const settle = await holdBudget(guard, entry, parsed);
 * await settle([{ neurons: 57.6, usd: 0.0006336 }]);
 */
export async function holdBudget(
  guard: BudgetGuard | undefined,
  entry: KeyEntry | undefined,
  parsed: ParsedGeneration,
): Promise<(costs: readonly ImageCost[]) => Promise<void>> {
  const nothing = async (): Promise<void> => {};
  if (!entry) return nothing;
  const { model } = parsed;
  if (entry.models && !entry.models.includes(model)) {
    throw new GatewayError({
      status: 403,
      message: `The key '${entry.name}' may not use ${model} (it may use ${entry.models.join(', ')})`,
      type: 'invalid_request_error',
      code: 'model_not_allowed',
      param: 'model',
    });
  }
  if (!guard) return nothing;
  const now = (guard.now ?? (() => new Date()))();
  // A key without a budget holds nothing; its spend is still kept for /v1/usage.
  if (entry.maxBudget === undefined || !entry.budgetDuration) return settlement(guard, entry, model, now, '', 0);
  const estimate = callCost(defaultModels[model]!, {
    ...parsed.params,
    ...(parsed.images.image === undefined ? {} : { image: parsed.images.image }),
  });
  if ('unknown' in estimate) {
    throw new GatewayError({
      status: 400,
      message: `The key '${entry.name}' has a budget, and ${estimate.unknown}: its images can't be counted against it`,
      type: 'invalid_request_error',
      code: 'model_not_priced',
      param: 'model',
    });
  }
  const period = budgetPeriod(entry.budgetDuration, now);
  const held = Math.round(estimate.usd * NANO) * parsed.request.n;
  const limit = Math.round(entry.maxBudget * NANO);
  let answer;
  try {
    answer = await guard.store.reserve(entry.name, period.id, held, limit, period.resetsAt.getTime() - now.getTime() + 86_400_000);
  } catch (error) {
    if (error instanceof BudgetStoreUnavailable) throw unavailable(error);
    throw error;
  }
  if (!answer.ok) {
    const seconds = Math.max(1, Math.ceil((period.resetsAt.getTime() - now.getTime()) / 1000));
    throw new GatewayError({
      status: 429,
      message: `The key '${entry.name}' has used $${formatUsd(answer.taken / NANO)} of its $${entry.maxBudget} budget (${entry.budgetDuration}); these images would pass it. It resets at ${period.resetsAt.toISOString()}`,
      type: 'insufficient_quota',
      code: 'insufficient_quota',
      headers: { 'retry-after': String(seconds) },
    });
  }
  return settlement(guard, entry, model, now, period.id, held);
}

/** Releases a hold and records what the images made cost; a store gone quiet keeps the hold (over-counted, never under). */
function settlement(guard: BudgetGuard, entry: KeyEntry, model: string, now: Date, period: string, held: number) {
  return async (costs: readonly ImageCost[]): Promise<void> => {
    const spent = costs.reduce((sum, cost) => sum + ('unknown' in cost ? 0 : Math.round(cost.usd * NANO)), 0);
    await guard.store.settle(entry.name, period, held, { nanoUsd: spent, images: costs.length, model, day: usageDay(now) }).catch(() => {});
  };
}

/**
 * Holds the budget for the first model of a fallback chain that fits it (a cheaper one when the
 * first would pass the budget), keeping only the models the key may use. Resolves to the request
 * for that model, its settlement, and the models left to fall back to.
 *
 * @example
 * const { parsed: chosen, settle, rest } = await holdAlongChain(guard, entry, parsed, ['flux-2-dev', 'flux']);
 */
export async function holdAlongChain(
  guard: BudgetGuard | undefined,
  entry: KeyEntry | undefined,
  parsed: ParsedGeneration,
  fallbacks: readonly string[],
) {
  const rest = fallbacks.filter((model) => !entry?.models || entry.models.includes(model));
  const chain = [parsed.model, ...rest];
  for (const [index, model] of chain.entries()) {
    const candidate = index === 0 ? parsed : { ...parsed, model, params: paramsTakenBy(defaultModels[model]!, parsed.params) };
    try {
      return { parsed: candidate, settle: await holdBudget(guard, entry, candidate), rest: chain.slice(index + 1) };
    } catch (error) {
      const overBudget = error instanceof GatewayError && error.code === 'insufficient_quota';
      if (!overBudget || index === chain.length - 1) throw error;
    }
  }
  throw new Error('holdAlongChain needs a model');
}
