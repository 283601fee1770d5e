import leven from 'leven';

/**
 * The words for a field nobody declared: its name, and the closest known name when one is near
 * enough to be a typo (at most a third of its letters differ, rounded up, never more than 3; a swap of two letters counts 2).
 *
 * @example
 * unknownFieldText('stepz', ['steps', 'seed']); // "unknown field 'stepz' (did you mean 'steps'?)"
 */
export function unknownFieldText(field: string, known: readonly string[]): string {
  const limit = Math.min(3, Math.ceil(field.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = leven(field.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return `unknown field '${field}'${best ? ` (did you mean '${best.name}'?)` : ''}`;
}
