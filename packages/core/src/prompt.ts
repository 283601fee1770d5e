/** Default longest prompt, in characters (Flux on Workers AI allows 2,048). */
export const DEFAULT_MAX_PROMPT_LENGTH = 2048;

/**
 * Why a prompt can't be sent, or undefined when it can: empty, whitespace only, not a string,
 * or longer than `maxLength` characters (counted as code points).
 *
 * @example
 * promptProblem('   ', 2048); // 'prompt must not be empty'
 */
export function promptProblem(prompt: unknown, maxLength: number): string | undefined {
  if (typeof prompt !== 'string') return 'prompt must be a string';
  if (prompt.trim() === '') return 'prompt must not be empty';
  const length = [...prompt].length;
  if (length > maxLength) return `prompt is ${length} characters long, the limit is ${maxLength}`;
  return undefined;
}
