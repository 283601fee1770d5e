import type { Context, Handler } from 'hono';
import type { GatewayEnv } from '../request-context.js';
import type { McpRouteParts } from './mcp-route.js';

/** Builds the `/mcp` route over the gateway's plumbing (loaded on first use: `imagegen serve` does not load MCP at start). */
export type McpMount = (parts: McpRouteParts) => Promise<(context: Context<GatewayEnv>) => Promise<Response>>;

/**
 * The `/mcp` handler: the route is built by `mount` at the first MCP request, then reused.
 *
 * @example
 * app.on(['GET', 'POST', 'DELETE'], '/mcp', lazyMcp(mount, parts));
 */
export function lazyMcp(mount: McpMount, parts: McpRouteParts): Handler<GatewayEnv> {
  let route: ReturnType<McpMount> | undefined;
  return async (context) => {
    route ??= mount(parts);
    return (await route)(context);
  };
}
