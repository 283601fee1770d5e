import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { GatewayEnv } from '../request-context.js';

/** What {@link corsHeaders} allows. */
export interface CorsOptions {
  origin: string | string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge: number;
}

/**
 * CORS: preflights are Hono's `cors`; every other request gets its headers through
 * `context.header()` before the handler runs, so the handler's answer is sent as it is, never
 * rebuilt around its body stream (why: docs/performance-notes.md).
 *
 * @example
 * app.use('*', corsHeaders({ origin: '*', allowHeaders: ['authorization'], exposeHeaders: ['x-request-id'], maxAge: 600 }));
 */
export function corsHeaders(options: CorsOptions) {
  const preflight = cors(options);
  const exposed = options.exposeHeaders.join(',');
  const allowed = (origin: string | undefined): string | undefined => {
    if (typeof options.origin === 'string') return options.origin;
    return origin !== undefined && options.origin.includes(origin) ? origin : undefined;
  };
  return createMiddleware<GatewayEnv>(async (context, next) => {
    if (context.req.method === 'OPTIONS') return preflight(context, next);
    const origin = allowed(context.req.header('origin'));
    if (origin) context.header('access-control-allow-origin', origin);
    if (exposed) context.header('access-control-expose-headers', exposed);
    if (options.origin !== '*') context.header('vary', 'Origin', { append: true });
    await next();
  });
}
