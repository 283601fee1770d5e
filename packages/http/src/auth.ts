const encoder = new TextEncoder();

const sha256 = async (text: string): Promise<Uint8Array> => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));

/** Compares two digests in time that does not depend on where they differ. */
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length && index < b.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
};

/**
 * Makes a matcher of `Authorization: Bearer <key>` against the gateway's keys (or their SHA-256,
 * as a keys file may give them): the index of the
 * matching key, or -1. The SHA-256 digests are compared in constant time, so neither a key's
 * length nor its bytes leak through timing. Web Crypto only: it runs on Node and in workerd.
 *
 * @example
 * const match = keyMatcher(['key-one', 'key-two']);
 * await match('Bearer key-two'); // 1
 */
export function keyMatcher(keys: ReadonlyArray<string | { sha256Hex: string }>): (authorization: string | undefined) => Promise<number> {
  let digests: Promise<Uint8Array[]> | undefined;
  const digestOf = async (key: string | { sha256Hex: string }): Promise<Uint8Array> =>
    typeof key === 'string' ? sha256(key) : Uint8Array.from(key.sha256Hex.match(/../g)!.map((pair) => parseInt(pair, 16)));
  return async (authorization) => {
    const token = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim() ?? '';
    const [given, known] = await Promise.all([sha256(token), (digests ??= Promise.all(keys.map(digestOf)))]);
    let match = -1;
    known.forEach((digest, index) => {
      if (sameBytes(given, digest) && token !== '') match = index;
    });
    return match;
  };
}

/** Reads `IMAGEGEN_GATEWAY_KEYS` (comma separated, blanks dropped). */
export function parseGatewayKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}
