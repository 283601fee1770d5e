import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../openai-error.js';
import type { KeyRpm } from '../budgets/key-rpm.js';
import type { RateLimiter } from '../rate-limit.js';
import type { GatewayEnv } from '../request-context.js';

/**
 * Takes one token of the caller's bucket (named by `apiKeys`), or answers 429 with Retry-After.
 * The body is read first (Hono keeps it for the handler): a client that sends headers and then
 * stalls must not spend tokens of a bucket it shares with others.
 *
 * @example
 * app.post('/v1/images/generations', rateLimit(new TokenBucketLimiter({ burst: 10 })), handler);
 */
export function rateLimit(limiter: RateLimiter | undefined, keyRpm?: KeyRpm) {
  return createMiddleware<GatewayEnv>(async (context, next) => {
    // As bytes, not text: Hono derives the handler's text or form from what it kept, and a form
    // derived from text would carry its files through UTF-8 (an image's bytes, mangled).
    await context.req.arrayBuffer();
    const entry = context.get('keyEntry');
    // The gateway's per-client bucket, then the key's own rpm (IMAGEGEN_KEYS_FILE), one after the other.
    const checks = [() => limiter?.take(context.get('client')), () => (entry && keyRpm ? keyRpm.take(entry) : undefined)];
    for (const check of checks) {
      const verdict = await check();
      if (!verdict) continue;
      if (!verdict.allowed) {
        const retryAfter = String(Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)));
        throw new GatewayError({
          status: 429,
          message: 'Rate limit exceeded for this API key, retry later',
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
          headers: {
            'retry-after': retryAfter,
          },
        });
      }
    }
    await next();
  });
}
