/** A budget's window: its id (a store key) and when it ends (the budget then resets). */
export interface BudgetPeriod {
  id: string;
  resetsAt: Date;
}

const DAY_MS = 86_400_000;

/**
 * The window `now` falls in: `1d` is the UTC day (reset at 00:00 UTC, as Workers AI's free
 * allocation); `30d` is one of the 30-day windows counted from 1970-01-01 UTC, so every gateway
 * agrees on it without keeping a start date (imagegen chose this: LiteLLM counts from a key's
 * creation).
 *
 * @example
 * budgetPeriod('1d', new Date('2026-12-03T15:00:00Z')); // { id: '1d:2026-12-03', resetsAt: 2026-12-04T00:00:00Z }
 */
export function budgetPeriod(duration: '1d' | '30d', now: Date): BudgetPeriod {
  const day = Math.floor(now.getTime() / DAY_MS);
  if (duration === '1d') return { id: `1d:${new Date(day * DAY_MS).toISOString().slice(0, 10)}`, resetsAt: new Date((day + 1) * DAY_MS) };
  const window = Math.floor(day / 30);
  return { id: `30d:${new Date(window * 30 * DAY_MS).toISOString().slice(0, 10)}`, resetsAt: new Date((window + 1) * 30 * DAY_MS) };
}

/** The UTC day of `now` (`2026-12-03`) and its month (`2026-12`): how usage is kept and reported. */
export const usageDay = (now: Date): string => now.toISOString().slice(0, 10);
