import type { Agent, Dispatcher } from 'undici';
import { encodedBody, headerReader } from './http-transport.js';
import { undici } from './undici-module.js';
import type { Transport } from '../ports.js';
import { type AgentOptions, createAgent } from './undici-agent.js';

/** A transport over an undici `Agent`, and the agent to close. */
export interface UndiciTransport {
  transport: Transport;
  agent: Agent;
}

const ignore = (): void => {};

/**
 * The Node runtime's {@link Transport}: undici's `request` over an `Agent` with imagegen's default
 * timeouts and pool, following redirects as fetch does. It builds no WHATWG `Request`,
 * `Response`, `Headers` or web stream (why: docs/performance-notes.md).
 *
 * @example
 * const { transport, agent } = createUndiciTransport({ connections: 10 });
 * const generator = new ImageGenerator({ settings, transport, store });
 * // ...
 * await agent.close();
 */
export function createUndiciTransport(options: AgentOptions = {}): UndiciTransport {
  const { interceptors, request } = undici();
  const agent = createAgent(options);
  const dispatcher: Dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 20 }));
  const transport: Transport = async (sent) => {
    // The platform's FormData belongs to Node's bundled undici, which this undici's request
    // can't serialise ("action is not a function"): it goes as the bytes the platform encodes.
    const { payload, headers } = await encodedBody(sent);
    const { url, method, signal } = sent;
    const response = await request(url, { dispatcher, method, headers, body: payload, signal });
    // A cancelled body emits an error; a read in progress gets it through the iterator, and
    // none may be waiting, so it must not go unhandled.
    response.body.on('error', ignore);
    const chunks = response.body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    return {
      status: response.statusCode,
      headers: headerReader(response.headers),
      read: () => chunks.next(),
      cancel: (reason) => void response.body.destroy(reason instanceof Error ? reason : undefined),
    };
  };
  return { transport, agent };
}
