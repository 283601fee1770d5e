import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { sendHuge } from './huge-body.js';
import { TINY_PNG } from './images.js';

/** How the worker answers one request. Every field is optional: the default is a 200 PNG. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** The body; default the 8x8 PNG (or an empty body for a non-200 status). */
  body?: Uint8Array | string;
  /** Default `image/png` for the default body, else none unless given. */
  contentType?: string;
  /** Answer `{"image": "<base64 of body>"}` as application/json. */
  json?: boolean;
  /** Wait before sending the headers (benches; tests use `holdUntil`, never a fixed delay). */
  delayMs?: number;
  /**
   * Send nothing until this settles (a test opens a {@link gate} when it is ready); given up
   * when the client goes away first. A promise that never settles is a worker that never answers.
   */
  holdUntil?: PromiseLike<unknown>;
  /** Called once the reply's bytes are written, before a stall or a reset: e.g. to abort the client mid-body. */
  onSent?: () => void;
  /** Send the body in chunks of this size, pausing `chunkDelayMs` between them. */
  chunkSize?: number;
  chunkDelayMs?: number;
  /** Declare the full Content-Length, send this many body bytes, then reset the connection. */
  resetAfterBytes?: number;
  /** Send this many body bytes, then never send more (the connection stays open). */
  stallAfterBytes?: number;
  /** Stream a body of this many bytes (a PNG signature, filler, and an IEND chunk: a complete-looking PNG), generated on the fly. */
  hugeBytes?: number;
  /** Leave out Content-Length (chunked encoding). */
  chunked?: boolean;
  /** Answer 302 to this URL (relative to the server when it starts with '/'). */
  redirectTo?: string;
  /** Close the socket without answering. */
  hangUp?: boolean;
}

/** A request as the worker saw it. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** From `?prompt=` or the JSON body's `prompt`. */
  prompt: string | undefined;
  json: unknown;
  at: number;
}

/** Decides a reply from the request (for behaviour that depends on it). */
export type Responder = (request: LoggedRequest, index: number) => Reply | undefined;

/** Options of {@link startTestWorker}. */
export interface TestWorkerOptions {
  /** When set, POST requests must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** The reply when nothing is scripted. */
  defaultReply?: Reply;
  /** Keep the request log (benches and soaks turn it off to keep memory flat). @default true */
  logRequests?: boolean;
}

/** A running scriptable worker. */
export interface TestWorker {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The Flux-style endpoint (GET). */
  fluxUrl: string;
  /** The SDXL-style endpoint (POST). */
  sdxlUrl: string;
  /** Every request received, in order. */
  requests: LoggedRequest[];
  /** Queue replies for the next requests, in order; after them the default reply applies. */
  script(replies: Reply[]): void;
  /** Queue replies for requests carrying this prompt (checked before the general queue). */
  scriptPrompt(prompt: string, replies: Reply[]): void;
  /** A function that decides replies (checked after the queues). */
  respond(responder: Responder | undefined): void;
  /** Forget the scripts and the request log. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a worker on 127.0.0.1 (a free port) whose answers a test scripts: status sequences,
 * Retry-After, slow headers and bodies, resets mid-body, stalls, huge or lying bodies, JSON
 * base64 answers, redirects. It logs every request it receives.
 *
 * @example
 * const worker = await startTestWorker();
 * worker.script([{ status: 500 }, { status: 500 }]); // then the default 200 PNG
 * // ... FLUX_WORKER_URL = worker.fluxUrl
 * await worker.close();
 */
export async function startTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  const requests: LoggedRequest[] = [];
  let queue: Reply[] = [];
  const byPrompt = new Map<string, Reply[]>();
  let responder: Responder | undefined;
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const part of req) chunks.push(part as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const jsonPrompt = (json as { prompt?: unknown } | undefined)?.prompt;
    const logged: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      prompt: url.searchParams.get('prompt') ?? (typeof jsonPrompt === 'string' ? jsonPrompt : undefined),
      json,
      at: Date.now(),
    };
    const index = options.logRequests === false ? requests.length : requests.push(logged) - 1;

    if (options.apiKey && logged.method === 'POST' && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
      return;
    }
    const promptQueue = logged.prompt === undefined ? undefined : byPrompt.get(logged.prompt);
    const reply = promptQueue?.shift() ?? queue.shift() ?? responder?.(logged, index) ?? options.defaultReply ?? {};
    await send(req, res, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    fluxUrl: `${url}/flux`,
    sdxlUrl: `${url}/sdxl`,
    requests,
    script: (replies) => void queue.push(...replies),
    scriptPrompt: (prompt, replies) => void byPrompt.set(prompt, [...(byPrompt.get(prompt) ?? []), ...replies]),
    respond: (next) => void (responder = next),
    reset: () => {
      queue = [];
      byPrompt.clear();
      responder = undefined;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function send(req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
  if (reply.delayMs) await pause(reply.delayMs);
  if (reply.holdUntil) {
    await Promise.race([reply.holdUntil, once(res, 'close')]);
    if (res.destroyed || req.socket.destroyed) return;
  }
  if (reply.hangUp) {
    req.socket.destroy();
    return;
  }
  if (reply.redirectTo) {
    res.writeHead(302, { location: reply.redirectTo }).end();
    return;
  }
  const status = reply.status ?? 200;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.hugeBytes !== undefined) {
    await sendHuge(res, status, headers, reply);
    return;
  }
  let body: Buffer;
  if (reply.body !== undefined) body = Buffer.from(reply.body);
  else body = status === 200 ? TINY_PNG : Buffer.alloc(0);
  let contentType = reply.contentType ?? (reply.body === undefined && status === 200 ? 'image/png' : undefined);
  if (reply.json) {
    body = Buffer.from(JSON.stringify({ image: body.toString('base64') }));
    contentType = reply.contentType ?? 'application/json';
  }
  if (contentType) headers['content-type'] = contentType;
  if (!reply.chunked) headers['content-length'] = String(body.length);
  res.writeHead(status, headers);

  const limit = reply.resetAfterBytes ?? reply.stallAfterBytes;
  const toSend = limit === undefined ? body : body.subarray(0, limit);
  const size = reply.chunkSize ?? toSend.length;
  for (let offset = 0; offset < toSend.length; offset += size) {
    if (!res.write(toSend.subarray(offset, offset + size))) await new Promise((resolve) => res.once('drain', resolve));
    if (reply.chunkDelayMs) await pause(reply.chunkDelayMs);
    if (res.destroyed) return;
  }
  reply.onSent?.();
  if (reply.resetAfterBytes !== undefined) {
    // Let the bytes leave before the reset, so the client sees a body cut in the middle.
    await pause(20);
    req.socket.resetAndDestroy();
    return;
  }
  if (reply.stallAfterBytes !== undefined) return;
  res.end();
}
