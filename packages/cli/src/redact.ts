/**
 * Shows a secret the way `imagegen config` does: that it is set, and its length. No character
 * of it: even a few of them narrow a guess, and they show up in screenshots and shared logs.
 *
 * @example
 * redactSecret('sk-abcdefghijklmnop'); // 'set (19 characters)'
 */
export function redactSecret(secret: string): string {
  return `set (${secret.length} characters)`;
}
