import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transport, TransportRequest } from '../src/index.js';
import { createNodeHttpTransport, createUndiciTransport } from '../src/node/index.js';

// Both Node transports follow redirects by fetch's rules: the method and body kept on 307/308,
// a POST turned into a GET without its body on 301/302/303, the credentials dropped when the
// redirect leaves the origin, and no more than 20 hops.
interface Seen {
  method: string;
  path: string;
  authorization?: string | undefined;
  contentType?: string | undefined;
  body: string;
}

function server(handle: (request: IncomingMessage, seen: Seen) => { status: number; location?: string }) {
  const seen: Seen[] = [];
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const entry = {
      method: request.method!,
      path: request.url!,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body,
    };
    seen.push(entry);
    const { status, location } = handle(request, entry);
    response.writeHead(status, location ? { location } : { 'content-type': 'text/plain' }).end(location ? '' : 'done');
  };
  const instance: Server = createServer((request, response) => void answer(request, response));
  return {
    seen,
    start: () =>
      new Promise<string>((resolve) =>
        instance.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(instance.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise<void>((resolve) => instance.close(() => resolve())),
  };
}

const redirecting = server((request) => {
  const [, status, hops] = /^\/(\d{3})(?:\/(\d+))?/.exec(request.url!) ?? [];
  if (status === undefined) return { status: 200 };
  if (hops !== undefined && Number(hops) > 0) return { status: Number(status), location: `/${status}/${Number(hops) - 1}` };
  return {
    status: Number(status),
    location: hops === undefined ? (request.url!.endsWith('?away') ? `${other}/landed` : '/landed') : '/landed',
  };
});
const elsewhere = server(() => ({ status: 200 }));
let base = '';
let other = '';

beforeAll(async () => {
  base = await redirecting.start();
  other = await elsewhere.start();
});
afterAll(async () => {
  await redirecting.stop();
  await elsewhere.stop();
});

async function bodyText(transport: Transport, request: Omit<TransportRequest, 'signal'>): Promise<{ status: number; text: string }> {
  const response = await transport({ ...request, signal: new AbortController().signal });
  let text = '';
  for (let chunk = await response.read(); !chunk.done; chunk = await response.read()) text += Buffer.from(chunk.value!).toString();
  return { status: response.status, text };
}

const post = (path: string) => ({
  url: `${base}${path}`,
  method: 'POST' as const,
  headers: { authorization: 'Bearer secret-42', 'content-type': 'application/json' },
  body: '{"prompt":"a fox"}',
});

describe.each([
  ['undici', () => createUndiciTransport()],
  ['node-http', () => createNodeHttpTransport()],
] as const)('%s redirects as fetch does', (_name, make) => {
  const made = make();
  const transport = made.transport;
  afterAll(async () => ('agent' in made ? made.agent.close() : made.close()));

  it.each([307, 308])('%i keeps the method, the body and the key', async (status) => {
    redirecting.seen.length = 0;
    expect(await bodyText(transport, post(`/${status}`))).toEqual({ status: 200, text: 'done' });
    expect(redirecting.seen[1]).toMatchObject({
      method: 'POST',
      path: '/landed',
      authorization: 'Bearer secret-42',
      body: '{"prompt":"a fox"}',
    });
  });

  // undici keeps the content type on the GET after a 301 or 302 (it drops it after a 303 only).
  it.each([301, 302, 303])('%i turns a POST into a GET without its body', async (status) => {
    redirecting.seen.length = 0;
    await bodyText(transport, post(`/${status}`));
    expect(redirecting.seen[1]).toMatchObject({ method: 'GET', path: '/landed', body: '' });
    if (status === 303) expect(redirecting.seen[1]?.contentType).toBeUndefined();
  });

  it('drops the key when the redirect leaves the origin', async () => {
    elsewhere.seen.length = 0;
    await bodyText(transport, post('/307?away'));
    expect(elsewhere.seen[0]).toMatchObject({ method: 'POST', path: '/landed', authorization: undefined });
  });

  it('follows 20 redirects and answers the 21st as it is', async () => {
    expect(await bodyText(transport, post('/307/19'))).toMatchObject({ status: 200 });
    expect(await bodyText(transport, post('/307/21'))).toMatchObject({ status: 307 });
  });
});
