import { createMiddleware } from 'hono/factory';
import { keyMatcher } from '../auth.js';
import { GatewayError } from '../openai-error.js';
import type { KeyEntry } from '../budgets/key-entries.js';
import type { GatewayEnv } from '../request-context.js';

/**
 * Requires `Authorization: Bearer <key>` with one of `keys` on every request but those
 * `isPublic` names (none: every caller passes as 'anonymous'), and names the caller for the
 * rate limit by the key's index, never the key. Fails closed: a route added later is protected
 * unless it is made public on purpose.
 *
 * @example
 * app.use('*', apiKeys(['my-secret-key'], (method, path) => path === '/healthz'));
 */
export function apiKeys(
  keys: readonly string[],
  isPublic: (method: string, path: string) => boolean = () => false,
  entries: readonly KeyEntry[] = [],
) {
  const match = keyMatcher([...keys, ...entries.map((entry) => entry.key ?? { sha256Hex: entry.sha256! })]);
  return createMiddleware<GatewayEnv>(async (context, next) => {
    if ((keys.length === 0 && entries.length === 0) || isPublic(context.req.method, context.req.path)) {
      context.set('client', 'anonymous');
      return next();
    }
    const index = await match(context.req.header('authorization'));
    if (index < 0) {
      throw new GatewayError({
        status: 401,
        message: 'Missing or invalid API key: send Authorization: Bearer <key>',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    const entry = index >= keys.length ? entries[index - keys.length] : undefined;
    if (entry) context.set('keyEntry', entry);
    // A keys file's entry is known by its name; a plain key by its place in IMAGEGEN_GATEWAY_KEYS.
    context.set('client', entry ? entry.name : `key:${index}`);
    return next();
  });
}
