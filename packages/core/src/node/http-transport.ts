import type { Agent, IncomingMessage } from 'node:http';
import type { Transport, TransportRequest } from '../ports.js';
import type { AgentOptions } from './undici-agent.js';

// Taken from Node, not imported: on Node 24 an `import` of `node:http` reads every export, its lazy
// `WebSocket` among them, and that loads Node's bundled fetch (30-80 ms of a one-image run).
const http = process.getBuiltinModule('node:http');

/** A transport over Node's own `http` and `https`, and its connections to close. */
export interface NodeHttpTransport {
  transport: Transport;
  /** Closes every connection the transport keeps open. */
  close(): Promise<void>;
}

// Which answers are redirects, and how many of them a request follows: fetch's rules
// (https://fetch.spec.whatwg.org/#http-redirect-fetch), as undici's redirect interceptor keeps them.
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
// Headers that name the sender or the body: dropped when a redirect leaves the origin, or the body.
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** An error whose code says which timeout ended the request (the core reads `TIMEOUT` in it). */
const timeoutError = (code: string, what: string, ms: number): Error =>
  Object.assign(new Error(`${what} timed out after ${ms} ms`), { code, name: 'TimeoutError' });

/** An answer's headers as the core reads them (`get`, several values joined as fetch joins them). */
export const headerReader = (headers: Record<string, string | string[] | undefined>) => ({
  get(name: string): string | null {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  },
});

/**
 * The body as a string or bytes, and its headers: a form is encoded by the platform's Response,
 * with its boundary (multipart inputs are small). The form is told from the other bodies without
 * naming `FormData`: the first use of that global loads Node's bundled fetch (30-80 ms).
 *
 * @example
 * const { payload, headers } = await encodedBody({ url, method: 'POST', body: form, signal });
 */
export async function encodedBody(
  request: TransportRequest,
): Promise<{ payload: string | Uint8Array | undefined; headers: Record<string, string> }> {
  const { body } = request;
  const headers: Record<string, string> = { ...request.headers };
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return { payload: body, headers };
  const encoded = new Response(body);
  headers['content-type'] = encoded.headers.get('content-type')!;
  return { payload: new Uint8Array(await encoded.arrayBuffer()), headers };
}

/** The request a redirect leads to, by fetch's rules; undefined when it is not a redirect. */
function redirected(request: TransportRequest, response: IncomingMessage): TransportRequest | undefined {
  const location = response.headers.location;
  if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return undefined;
  const next = new URL(location, request.url);
  const headers = { ...request.headers };
  const asGet = response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && request.method === 'POST');
  const drop = [...(asGet ? BODY_HEADERS : []), ...(next.origin === new URL(request.url).origin ? [] : CREDENTIALS)];
  for (const name of Object.keys(headers)) if (drop.includes(name.toLowerCase())) delete headers[name];
  return { ...request, url: next.href, headers, ...(asGet ? { method: 'GET' as const, body: undefined } : {}) };
}

/**
 * The Node runtime's lighter {@link Transport}: Node's own `http` and `https` clients, with
 * imagegen's timeouts (connect 30 s, headers and body 120 s), a keep-alive pool, and fetch's
 * redirects. What it saves over undici is start-up: Node's HTTP parser is already in the
 * binary, where undici's is WebAssembly that V8 compiles at the first request and keeps
 * optimising on other threads, which Node waits for before a process exits (0.3-0.4 s of a
 * one-image `imagegen generate`). undici stays the transport of long-lived processes.
 *
 * @example
 * const { transport, close } = createNodeHttpTransport({ connections: 1 });
 * const generator = new ImageGenerator({ settings, transport, store });
 * // ...
 * await close();
 */
export function createNodeHttpTransport(options: AgentOptions = {}): NodeHttpTransport {
  const pool = { keepAlive: true, maxSockets: options.connections ?? 10, timeout: options.keepAliveTimeoutMs ?? 30_000 };
  const plain = new http.Agent(pool);
  // TLS is loaded at the first https request (10 ms of a start-up that talks to a loopback worker).
  let secure: { client: typeof import('node:https'); agent: Agent } | undefined;
  const clientFor = (protocol: string) => {
    if (protocol !== 'https:') return { client: http, agent: plain };
    const https = process.getBuiltinModule('node:https');
    return (secure ??= { client: https, agent: new https.Agent(pool) });
  };
  const connectMs = options.connectTimeoutMs ?? 30_000;
  const headersMs = options.headersTimeoutMs ?? 120_000;
  const bodyMs = options.bodyTimeoutMs ?? 120_000;

  /** One request and its answer's head, or the error that ended it. */
  const send = async (request: TransportRequest): Promise<IncomingMessage> => {
    const { payload, headers } = await encodedBody(request);
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const url = new URL(request.url);
    const { client, agent } = clientFor(url.protocol);
    return new Promise((resolve, reject) => {
      const outgoing = client.request(url, { method: request.method, headers, agent, signal: request.signal });
      const fail = (error: Error) => outgoing.destroy(error);
      const headersTimer = setTimeout(() => fail(timeoutError('IMAGEGEN_HEADERS_TIMEOUT', 'waiting for the answer', headersMs)), headersMs);
      outgoing.once('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => fail(timeoutError('IMAGEGEN_CONNECT_TIMEOUT', 'connecting', connectMs)), connectMs);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      outgoing.once('response', (response) => {
        clearTimeout(headersTimer);
        resolve(response);
      });
      outgoing.on('error', (error) => {
        clearTimeout(headersTimer);
        reject(error);
      });
      outgoing.end(payload);
    });
  };

  const transport: Transport = async (request) => {
    let current = request;
    let response = await send(current);
    // Past the last hop allowed, the redirect itself is the answer (as undici's interceptor does).
    for (let hops = 0; hops < MAX_REDIRECTS; hops++) {
      const next = redirected(current, response);
      if (!next) break;
      response.resume();
      current = next;
      response = await send(current);
    }
    // A cancelled body emits an error; a read in progress gets it through the iterator.
    response.on('error', () => {});
    const chunks = response[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    return {
      status: response.statusCode ?? 0,
      headers: headerReader(response.headers),
      // The body timeout counts the time the server takes to send the next chunk, not the reader's.
      read: () => {
        const timer = setTimeout(() => response.destroy(timeoutError('IMAGEGEN_BODY_TIMEOUT', 'the body', bodyMs)), bodyMs);
        return chunks.next().finally(() => clearTimeout(timer));
      },
      cancel: (reason) => void response.destroy(reason instanceof Error ? reason : undefined),
    };
  };

  return {
    transport,
    close: async () => {
      plain.destroy();
      secure?.agent.destroy();
    },
  };
}
