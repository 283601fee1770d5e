/**
 * Shows a secret the way `imagegen config` does: its first and last four characters around
 * `...`, or only `****` when it is too short for that to hide most of it. Never the whole.
 *
 * @example
 * redactSecret('sk-abcdefghijklmnop'); // 'sk-a...mnop'
 */
export function redactSecret(secret: string): string {
  return secret.length >= 16 ? `${secret.slice(0, 4)}...${secret.slice(-4)}` : '****';
}
