import type { Agent } from 'undici';
import { undici } from './undici-module.js';
import type { Fetch } from '../ports.js';
import { type AgentOptions, createAgent } from './undici-agent.js';

/** A fetch over an undici `Agent`, and the agent to close. */
export interface UndiciFetch {
  fetch: Fetch;
  agent: Agent;
}

/**
 * A WHATWG fetch over an undici `Agent` with imagegen's default timeouts and pool, for code that
 * wants a `fetch`; the generator itself sends with {@link createUndiciTransport}, which is
 * cheaper. A global `Request` is taken apart, since undici's own fetch refuses one ("Failed to
 * parse URL from [object Request]").
 *
 * @example
 * const { fetch, agent } = createUndiciFetch({ connections: 10 });
 * await fetch('http://127.0.0.1:8787/?prompt=cat');
 * await agent.close();
 */
export function createUndiciFetch(options: AgentOptions = {}): UndiciFetch {
  const { fetch: undiciFetch } = undici();
  const agent = createAgent(options);
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
