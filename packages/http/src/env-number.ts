/**
 * A number setting from the environment: the fallback when unset or blank, else a finite
 * number above `min` (or equal to it when `orEqual`); anything else throws a message naming it.
 *
 * @example
 * envNumber(process.env, 'IMAGEGEN_QUEUE_LOCK_MS', 5000); // > 0
 * envNumber(process.env, 'IMAGEGEN_RATE_LIMIT_BURST', 60, { orEqual: true }); // >= 0
 */
export function envNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  { min = 0, orEqual = false } = {},
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (value === min && !orEqual)) {
    throw new Error(`${name} must be a number ${orEqual ? '>=' : '>'} ${min}, got '${raw}'`);
  }
  return value;
}
