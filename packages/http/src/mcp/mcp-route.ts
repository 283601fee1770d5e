import type { ImageCodec, Settings } from '@imagegen/core';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import { GatewayError } from '../openai-error.js';
import type { RateLimiter } from '../rate-limit.js';
import type { GatewayEnv, GatewayLogger } from '../request-context.js';
import { type GenerationsDeps, runGeneration } from '../routes/generations.js';
import { createImagegenMcpServer, type McpImageMaker } from './mcp-server.js';

/** What `POST /mcp` runs on: the gateway's generation plumbing, its per-key limit, a codec for previews. */
export interface McpRouteParts {
  generations: GenerationsDeps;
  settings: Settings;
  limiter?: RateLimiter;
  codec?: ImageCodec;
  version: string;
  logger: GatewayLogger;
}

/**
 * `/mcp` on the gateway: MCP's Streamable HTTP (stateless, each request its own server), behind
 * the gateway's keys like every other route. Images go through the gateway's queue and storage,
 * as `POST /v1/images/generations` with `response_format: url` does; a tool call takes a token of
 * the key's rate limit (listing tools does not).
 *
 * @example
 * app.on(['GET', 'POST', 'DELETE'], '/mcp', mcpRoute({ generations, settings, version: '0.1.0' }));
 */
export function mcpRoute(parts: McpRouteParts) {
  const handler = createMcpHandler(
    (context) => {
      const client = context.authInfo?.clientId ?? 'anonymous';
      const given = context.authInfo?.extra?.requestId;
      const requestId = typeof given === 'string' ? given : 'mcp';
      return createImagegenMcpServer(gatewayMaker(parts, { client, requestId, url: context.requestInfo?.url }), parts.version);
    },
    { legacy: 'stateless' },
  );
  return async (context: Context<GatewayEnv>): Promise<Response> => {
    const raw = context.req.raw;
    // The gateway's middlewares may have read the body already: it is handed on from Hono's copy.
    const request =
      raw.method === 'POST'
        ? new Request(raw.url, { method: 'POST', headers: raw.headers, body: await context.req.arrayBuffer(), signal: raw.signal })
        : raw;
    return handler.fetch(request, {
      authInfo: { token: '', clientId: context.get('client') ?? 'anonymous', scopes: [], extra: { requestId: context.get('requestId') } },
    });
  };
}

/** The request a tool call came in: whose key, its id in the gateway's logs, its URL (the base of `url` answers). */
interface CallOrigin {
  client: string;
  requestId: string;
  url: string | undefined;
}

function gatewayMaker(parts: McpRouteParts, { client, requestId, url: requestUrl }: CallOrigin): McpImageMaker {
  const { generations } = parts;
  return {
    settings: parts.settings,
    ...(parts.codec ? { codec: parts.codec } : {}),
    make: async (parsed, _progress, signal) => {
      if (parts.limiter) {
        const verdict = await parts.limiter.take(client);
        if (!verdict.allowed)
          throw new Error(`rate limit exceeded for this API key: retry in ${Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))} s`);
      }
      const publicBase = generations.publicUrl({ req: { url: requestUrl ?? 'http://localhost/mcp' } });
      let answer;
      try {
        answer = await runGeneration(generations, parsed, { signal, reqId: requestId, logger: parts.logger, publicBase });
      } catch (error) {
        if (error instanceof GatewayError) throw new Error(`${error.message} (${error.code ?? error.status})`, { cause: error });
        throw error;
      }
      const image = answer.body.data[0]!;
      const url = image.url!;
      const name = url.slice(url.lastIndexOf('/') + 1);
      const opened = await generations.storage.open(name);
      if (!opened) throw new Error(`the image ${name} is gone from the gateway's storage`);
      const bytes = new Uint8Array(await new Response(opened.body).arrayBuffer());
      return {
        bytes,
        contentType: answer.contentTypes[0] ?? opened.contentType,
        uri: url,
        name,
        location: { url },
        model: parsed.model,
        route: answer.routes[0] ?? 'unknown',
        ...(image.seed === undefined ? {} : { seed: image.seed }),
      };
    },
  };
}
