import type { Context } from 'hono';
import type { BudgetGuard } from '../budgets/budget-guard.js';
import { BudgetStoreUnavailable } from '../budgets/budget-store.js';
import type { KeyEntry } from '../budgets/key-entries.js';
import { usageReport } from '../budgets/usage-report.js';
import { GatewayError, invalidRequest } from '../openai-error.js';
import type { GatewayEnv } from '../request-context.js';

/**
 * `GET /v1/usage[?period=day|month]`: spend per key name and model for the current UTC day (or
 * month), in US dollars by the models' published prices. Only a keys file's `admin` keys may read
 * it (everyone's spend); others get 403.
 *
 * @example
 * app.get('/v1/usage', usageHandler(budgets, entries));
 */
export function usageHandler(budgets: BudgetGuard | undefined, entries: readonly KeyEntry[]) {
  return async (context: Context<GatewayEnv>) => {
    const caller = context.get('keyEntry');
    if (!budgets) throw invalidRequest('Usage is kept for the keys of IMAGEGEN_KEYS_FILE; this gateway has none', null, 'usage_not_kept');
    if (!caller?.admin) {
      throw new GatewayError({
        status: 403,
        message: 'Only a key marked "admin": true in IMAGEGEN_KEYS_FILE may read usage',
        type: 'invalid_request_error',
        code: 'not_admin',
      });
    }
    const period = context.req.query('period') ?? 'day';
    if (period !== 'day' && period !== 'month') throw invalidRequest("period must be 'day' or 'month'", 'period', 'invalid_value');
    try {
      return context.json(await usageReport(budgets.store, entries, period, (budgets.now ?? (() => new Date()))()));
    } catch (error) {
      if (!(error instanceof BudgetStoreUnavailable)) throw error;
      throw new GatewayError({
        status: 503,
        message: `The budget store did not answer (${error.message}); retry shortly`,
        type: 'server_error',
        code: 'budget_store_unavailable',
        headers: { 'retry-after': '2' },
      });
    }
  };
}
