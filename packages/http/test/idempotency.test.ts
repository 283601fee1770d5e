import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate } from '@imagegen/testkit';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/index.js';
import { useGateways } from './support/gateway.js';

const { worker, gateway } = useGateways();
const body = { model: 'flux', prompt: 'a fox, once', response_format: 'b64_json', seed: 5 };

describe('Idempotency-Key on POST /v1/images/generations', () => {
  it('the same key and body again answers the first answer, with no second upstream call', async () => {
    const { post } = await gateway();
    const first = await post(body, { 'idempotency-key': 'order-1' });
    const second = await post(body, { 'idempotency-key': 'order-1' });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(worker().requests).toHaveLength(1);
    // Another key is another request.
    await (await post(body, { 'idempotency-key': 'order-2' })).arrayBuffer();
    expect(worker().requests).toHaveLength(2);
  });

  it('while the first still runs, the second waits for it and answers the same', async () => {
    const { post } = await gateway();
    const gate = createGate();
    worker().script([{ holdUntil: gate.opened }]);
    const first = post(body, { 'idempotency-key': 'slow' });
    await vi.waitFor(() => expect(worker().requests).toHaveLength(1));
    const second = post(body, { 'idempotency-key': 'slow' });
    gate.open();
    const [a, b] = await Promise.all([first, second]);
    expect(await b.text()).toBe(await a.text());
    expect(worker().requests).toHaveLength(1);
  });

  it('the same key with another body is a 422; a bad key a 400; after a failure the key runs anew', async () => {
    const { post } = await gateway();
    await (await post(body, { 'idempotency-key': 'k' })).arrayBuffer();
    const other = await post({ ...body, prompt: 'another fox' }, { 'idempotency-key': 'k' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'idempotency_key_reused' } });
    const bad = await post(body, { 'idempotency-key': 'has spaces in it' });
    expect(bad.status).toBe(400);
    worker().script([{ status: 500 }]);
    const failed = await post({ ...body, prompt: 'fails first' }, { 'idempotency-key': 'retry-me' });
    expect(failed.status).toBe(502);
    const retried = await post({ ...body, prompt: 'fails first' }, { 'idempotency-key': 'retry-me' });
    expect(retried.status).toBe(200);
    expect(worker().requests).toHaveLength(3);
  });
});

describe('the result cache and the upstream metrics through the gateway', () => {
  it('a seeded prompt twice is one upstream call; /metrics counts upstream requests, cache hits and the limiter (on by default)', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'imagegen-gateway-cache-'));
    const app = createApp({
      keys: [],
      logger: pino({ level: 'silent' }),
      env: {
        FLUX_WORKER_URL: worker().fluxUrl,
        IMAGEGEN_OUTPUT_DIR: join(cacheDir, 'out'),
        IMAGEGEN_CACHE_DIR: join(cacheDir, 'cache'),
        IMAGEGEN_LOG_LEVEL: 'silent',
      },
    });
    try {
      const post = () =>
        app.request('/v1/images/generations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'flux', prompt: 'a cached fox', seed: 21, response_format: 'b64_json' }),
        });
      const first = (await (await post()).json()) as { data: Array<{ b64_json: string }> };
      const second = (await (await post()).json()) as { data: Array<{ b64_json: string }> };
      expect(second.data[0]!.b64_json).toBe(first.data[0]!.b64_json);
      expect(worker().requests).toHaveLength(1);
      const metrics = await (await app.request('/metrics')).text();
      expect(metrics).toContain('imagegen_upstream_requests_total{model="flux",route="worker",outcome="ok"} 1');
      expect(metrics).toContain('imagegen_cache_hits_total{model="flux"} 1');
      expect(metrics).toMatch(/imagegen_limiter_concurrency\{upstream="worker:flux"\} \d+/);
    } finally {
      await app.close();
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
