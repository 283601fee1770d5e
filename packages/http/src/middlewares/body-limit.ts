import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { GatewayEnv } from '../request-context.js';

/**
 * Refuses a body over `maxSize` bytes with `onError`. A declared `Content-Length` is checked
 * without touching the body (Node's parser reads no more than it declares); only a chunked
 * body goes through Hono's `bodyLimit`, which counts it as it streams but turns the request
 * into a WHATWG Request with a web stream, a cost per request measured in the gateway's profile.
 *
 * @example
 * app.post('/v1/images/generations', limitBody(65_536, () => { throw tooLarge(); }), handler);
 */
export function limitBody(maxSize: number, onError: () => Response | Promise<Response>) {
  const streamed = bodyLimit({ maxSize, onError });
  return createMiddleware<GatewayEnv>(async (context, next) => {
    const declared = context.req.header('content-length');
    if (declared === undefined || context.req.header('transfer-encoding') !== undefined) return streamed(context, next);
    if (Number(declared) > maxSize) return onError();
    await next();
  });
}
