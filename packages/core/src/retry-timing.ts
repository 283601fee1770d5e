/**
 * Reads how long a worker asks us to wait: `retry-after-ms` (milliseconds, as some AI APIs
 * send), else `Retry-After` as seconds or an HTTP date. Undefined when absent or unreadable.
 *
 * @example
 * retryAfterMs(new Headers({ 'retry-after': '3' }), Date.now()); // 3000
 */
export function retryAfterMs(headers: { get(name: string): string | null }, now: number): number | undefined {
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.round(milliseconds);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number.parseFloat(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
