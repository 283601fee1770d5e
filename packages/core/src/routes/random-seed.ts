/**
 * A random seed in the catalogue's range (an unsigned 32-bit integer), from Web Crypto, which
 * every runtime imagegen runs on has.
 *
 * @example
 * const seed = randomSeed(); // 0 <= seed <= 4294967295
 */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
