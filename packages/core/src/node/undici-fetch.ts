import { Agent, fetch as undiciFetch } from 'undici';
import type { Fetch } from '../ports.js';

/** The Node transport's limits; defaults are the reference's. */
export interface AgentOptions {
  /** @default 30000 */
  connectTimeoutMs?: number;
  /** @default 120000 */
  headersTimeoutMs?: number;
  /** @default 120000 */
  bodyTimeoutMs?: number;
  /** Connections per origin. @default 10 */
  connections?: number;
  /** How long an idle keep-alive socket is kept. @default 30000 */
  keepAliveTimeoutMs?: number;
}

/** A fetch over an undici `Agent`, and the agent to close. */
export interface UndiciTransport {
  fetch: Fetch;
  agent: Agent;
}

/**
 * Creates an undici `Agent` with connect, headers and body timeouts and a connection pool, and
 * a fetch that sends through it. ky hands fetch a global `Request`, which undici's own fetch
 * refuses ("Failed to parse URL from [object Request]"), so the adapter passes its parts.
 *
 * @example
 * const { fetch, agent } = createUndiciFetch({ connections: 10 });
 * await fetch('http://127.0.0.1:8787/?prompt=cat');
 * await agent.close();
 */
export function createUndiciFetch(options: AgentOptions = {}): UndiciTransport {
  const agent = new Agent({
    connect: { timeout: options.connectTimeoutMs ?? 30_000 },
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.bodyTimeoutMs ?? 120_000,
    connections: options.connections ?? 10,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
  });
  const fetch: Fetch = async (input, init) => {
    if (!(input instanceof Request)) {
      return (await undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as Response;
    }
    const hasBody = input.body !== null && input.method !== 'GET' && input.method !== 'HEAD';
    const response = await undiciFetch(input.url, {
      method: input.method,
      headers: [...input.headers],
      body: hasBody ? await input.arrayBuffer() : undefined,
      signal: init?.signal ?? input.signal,
      redirect: input.redirect,
      dispatcher: agent,
    });
    return response as unknown as Response;
  };
  return { fetch, agent };
}
