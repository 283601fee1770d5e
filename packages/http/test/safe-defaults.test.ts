import { request as httpRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { serve } from '../src/index.js';
import { GATEWAY_KEY, useGateways, WORKER_KEY } from './support/gateway.js';

const { worker: currentWorker, gateway } = useGateways({ apiKey: WORKER_KEY });
const json = { 'content-type': 'application/json' };
const body = JSON.stringify({ prompt: 'a cat', response_format: 'b64_json' });

/** One request over a real socket with a Host header of our choosing (fetch would set its own). */
function rawRequest(url: string, path: string, headers: Record<string, string>, payload?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { method: payload ? 'POST' : 'GET', headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

describe('a gateway without keys answers this machine only', () => {
  it('a cross-origin text/plain POST (no preflight) is refused and makes nothing', async () => {
    const { app } = await gateway();
    const simple = await app.request('/v1/images/generations', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      body,
    });
    expect([403, 415]).toContain(simple.status);
    // The same body as text/plain from this machine is refused too: JSON must say so.
    const plain = await app.request('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    expect(plain.status).toBe(415);
    expect(currentWorker().requests).toHaveLength(0);
  });

  it('a request for another host (DNS rebinding) is refused', async () => {
    const { app } = await gateway();
    const rebound = await app.request('http://evil.example/v1/images/generations', { method: 'POST', headers: json, body });
    expect(rebound.status).toBe(403);
    expect(((await rebound.json()) as { error: { code: string } }).error.code).toBe('host_not_allowed');
    expect((await app.request('http://127.0.0.1:8080/v1/models')).status).toBe(200);
    expect((await app.request('http://[::1]:8080/v1/models')).status).toBe(200);
    expect(currentWorker().requests).toHaveLength(0);
  });

  it('CORS headers go to a listed origin only; other pages are refused', async () => {
    const { app, post } = await gateway({ cors: { origin: ['https://app.example'] } });
    const listed = await post({ prompt: 'a cat', response_format: 'b64_json' }, { origin: 'https://app.example' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await post({ prompt: 'a cat' }, { origin: 'https://other.example' });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const none = await (await gateway()).post({ prompt: 'a cat', response_format: 'b64_json' }, { origin: 'http://localhost:5173' });
    expect(none.status).toBe(200);
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
    expect((await app.request('/v1/models', { headers: { origin: 'null' } })).status).toBe(403);
  });

  it('GET on a POST route is 405 with Allow', async () => {
    const { app } = await gateway();
    const wrong = await app.request('/v1/images/generations');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});

describe('a gateway with keys fails closed', () => {
  it('/metrics and a route added after the others want a key; the probes and openapi.json do not', async () => {
    const { app } = await gateway({ keys: [GATEWAY_KEY] });
    app.get('/v1/added-later', (context) => context.text('secret'));
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/v1/added-later')).status).toBe(401);
    const keyed = { headers: { authorization: `Bearer ${GATEWAY_KEY}` } };
    expect((await app.request('/metrics', keyed)).status).toBe(200);
    expect((await app.request('/v1/added-later', keyed)).status).toBe(200);
    for (const path of ['/healthz', '/readyz', '/openapi.json']) expect((await app.request(path)).status).toBe(200);
    const open = await gateway({ keys: [GATEWAY_KEY], metricsPublic: true });
    expect((await open.app.request('/metrics')).status).toBe(200);
  });

  it('a key shorter than 8 characters is refused at start', async () => {
    await expect(gateway({ keys: ['short'] })).rejects.toThrow('too short');
  });

  it('url answers never carry the Host a request sent: the bound address (or IMAGEGEN_PUBLIC_URL)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imagegen-host-'));
    const env = { FLUX_WORKER_URL: currentWorker().fluxUrl, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' };
    const running = await serve({ port: 0, keys: [GATEWAY_KEY], handleSignals: false, logger: pino({ level: 'silent' }), env });
    try {
      const headers = { host: 'evil.example:1234', authorization: `Bearer ${GATEWAY_KEY}`, ...json };
      const answer = await rawRequest(running.url, '/v1/images/generations', headers, JSON.stringify({ prompt: 'a cat' }));
      expect(answer.status).toBe(200);
      const { url } = (JSON.parse(answer.text) as { data: Array<{ url: string }> }).data[0]!;
      expect(url.startsWith(`${running.url}/v1/images/`)).toBe(true);
      expect(url).not.toContain('evil.example');
    } finally {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serve refuses a non-loopback host without keys', async () => {
    await expect(serve({ port: 0, host: '0.0.0.0', keys: [], handleSignals: false, logger: pino({ level: 'silent' }) })).rejects.toThrow(
      'needs IMAGEGEN_GATEWAY_KEYS',
    );
  });
});
