import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TINY_PNG } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// `imagegen generate` talks to a worker over TLS with Node's own https client: the certificate is
// checked (a self-signed one is refused unless the user trusts it), redirects are followed, and
// the key and the body arrive. The fixture's certificate is for 127.0.0.1, valid for 100 years.
const CERT = fileURLToPath(new URL('./fixtures/loopback-cert.pem', import.meta.url));
const KEY_FILE = fileURLToPath(new URL('./fixtures/loopback-key.pem', import.meta.url));
const API_KEY = 'https-worker-key-0123456789';

const seen: { method: string; path: string; authorization?: string | undefined; body: string }[] = [];
let url = '';
let out = '';
async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  seen.push({ method: request.method!, path: request.url!, authorization: request.headers.authorization, body });
  if (request.url!.startsWith('/moved')) {
    response.writeHead(307, { location: '/sdxl' }).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'image/png' }).end(TINY_PNG);
}
const server = createServer(
  { cert: await readFile(CERT), key: await readFile(KEY_FILE) },
  (request, response) => void answer(request, response),
);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  out = await mkdtemp(join(tmpdir(), 'imagegen-https-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(out, { recursive: true, force: true });
});

describe('imagegen generate against a worker over https', () => {
  it('sends the key and the body through a redirect, and saves the image', async () => {
    seen.length = 0;
    const run = await runCli(['generate', 'a lighthouse', '--model', 'sdxl', '--seed', '3', '--out', out], {
      env: { SDXL_WORKER_URL: `${url}/moved`, SDXL_API_KEY: API_KEY, NODE_EXTRA_CA_CERTS: CERT },
    });
    expect(run.stderr).toContain('1 attempt');
    expect(run.code).toBe(0);
    expect(await readFile(run.stdout.trim())).toEqual(TINY_PNG);
    expect(seen.map((request) => [request.method, request.path])).toEqual([
      ['POST', '/moved'],
      ['POST', '/sdxl'],
    ]);
    expect(seen[1]).toMatchObject({ authorization: `Bearer ${API_KEY}` });
    expect(JSON.parse(seen[1]!.body)).toMatchObject({ prompt: 'a lighthouse', seed: 3 });
  });

  it('refuses a certificate nobody trusts: a network error naming it, exit 5, no request answered', async () => {
    seen.length = 0;
    const run = await runCli(['generate', 'a fox', '--model', 'flux', '--retries', '0'], {
      env: { FLUX_WORKER_URL: `${url}/`, IMAGEGEN_OUTPUT_DIR: out },
    });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/self[- ]signed certificate/i);
    expect(seen).toEqual([]);
  });
});
