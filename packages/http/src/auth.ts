import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Checks a bearer token against the gateway keys in constant time (comparing digests, so the
 * time depends neither on where the strings differ nor on their lengths). Resolves to the
 * matching key's index or -1.
 */
export function matchKey(authorization: string | undefined, keys: readonly string[]): number {
  const token = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '')?.[1]?.trim() ?? '';
  const given = digest(token);
  let match = -1;
  keys.forEach((key, index) => {
    if (timingSafeEqual(given, digest(key)) && token !== '') match = index;
  });
  return match;
}

/** Reads `IMAGEGEN_GATEWAY_KEYS` (comma separated, blanks dropped). */
export function parseGatewayKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}
