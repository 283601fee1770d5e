import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, startTestWorker, type TestRedis, type TestWorker } from '@imagegen/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseKeyEntries } from '../src/budgets/key-entries.js';
import { makeGateway } from './support/gateway.js';

// Budgets per key (IMAGEGEN_KEYS_FILE): flux-1-schnell at its published 57.6 neurons an image
// ($0.0006336) against a $0.01 daily budget: 15 images fit ($0.009504), a 16th would not.
const WEB = 'sk-web-app-0123456789abcdef';
const ADMIN = 'sk-admin-0123456789abcdef';
let redis: TestRedis;
let worker: TestWorker;
let dir: string;
beforeAll(async () => {
  redis = await startRedis();
  worker = await startTestWorker({ logRequests: false });
  dir = await mkdtemp(join(tmpdir(), 'imagegen-budgets-'));
});
afterAll(async () => {
  await worker?.close();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function keysFile(name: string, entries: unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(entries));
  return path;
}
const webApp = { name: 'web-app', key: WEB, maxBudget: 0.01, budgetDuration: '1d' };
const admin = { name: 'ops', key: ADMIN, admin: true };
const body = { prompt: 'a fox', model: 'flux', response_format: 'b64_json' };

describe('budgets per key', () => {
  it('two gateways on one Redis: 20 requests at once make exactly 15 images and 5 insufficient_quota; /v1/usage says $0.0095', async () => {
    const env = { IMAGEGEN_REDIS_URL: redis.url, IMAGEGEN_KEYS_FILE: await keysFile('shared.json', [webApp, admin]) };
    const first = await makeGateway(worker, { env });
    const second = await makeGateway(worker, { env });
    try {
      const auth = { authorization: `Bearer ${WEB}` };
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => await (index % 2 ? second : first).post(body, auth)),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(15);
      expect(statuses.filter((status) => status === 429)).toHaveLength(5);
      const refused = (await answers.find((answer) => answer.status === 429)!.json()) as {
        error: { code: string; type: string; message: string };
      };
      expect(refused.error).toMatchObject({ code: 'insufficient_quota', type: 'insufficient_quota' });
      expect(refused.error.message).toMatch(/'web-app'.*\$0\.01 budget \(1d\).*resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
      const usage = await second.app.request('/v1/usage', { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(usage.status).toBe(200);
      const report = (await usage.json()) as {
        keys: Array<{ name: string; usd: number; images: number; models: Array<{ model: string }> }>;
      };
      const web = report.keys.find((key) => key.name === 'web-app')!;
      expect(web.usd).toBeCloseTo(0.0095, 4);
      expect(web.images).toBe(15);
      expect(web.models).toEqual([{ model: 'flux', usd: web.usd, images: 15 }]);
      expect((await first.app.request('/v1/usage', { headers: auth })).status).toBe(403);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it('without Redis, spend is kept in a file and survives a restart', async () => {
    const env = {
      IMAGEGEN_KEYS_FILE: await keysFile('local.json', [{ ...webApp, maxBudget: 0.002 }, admin]),
      IMAGEGEN_BUDGETS_FILE: join(dir, 'spend.json'),
    };
    const auth = { authorization: `Bearer ${WEB}` };
    const before = await makeGateway(worker, { env });
    expect((await before.post(body, auth)).status).toBe(200);
    expect((await before.post(body, auth)).status).toBe(200);
    await before.dispose();
    const after = await makeGateway(worker, { env });
    try {
      // Three images ($0.0019) fit in $0.002; a fourth would not.
      expect((await after.post(body, auth)).status).toBe(200);
      expect((await after.post(body, auth)).status).toBe(429);
      const report = (await (
        await after.app.request('/v1/usage?period=month', { headers: { authorization: `Bearer ${ADMIN}` } })
      ).json()) as {
        period: string;
        keys: Array<{ name: string; images: number }>;
      };
      expect(report.period).toBe('month');
      expect(report.keys.find((key) => key.name === 'web-app')?.images).toBe(3);
    } finally {
      await after.dispose();
    }
  });

  it('a key limited to some models gets 403 for others; a budgeted key gets 400 for a model with no published price', async () => {
    const env = {
      IMAGEGEN_KEYS_FILE: await keysFile('models.json', [{ ...webApp, models: ['flux', '@cf/stabilityai/stable-diffusion-xl-base-1.0'] }]),
      IMAGEGEN_BUDGETS_FILE: join(dir, 'models-spend.json'),
    };
    const gateway = await makeGateway(worker, { env });
    try {
      const auth = { authorization: `Bearer ${WEB}` };
      const other = await gateway.post({ ...body, model: 'phoenix' }, auth);
      expect(other.status).toBe(403);
      expect(((await other.json()) as { error: { code: string } }).error.code).toBe('model_not_allowed');
      const unpriced = await gateway.post({ ...body, model: 'sdxl' }, auth);
      expect(unpriced.status).toBe(400);
      expect(((await unpriced.json()) as { error: { code: string } }).error.code).toBe('model_not_priced');
    } finally {
      await gateway.dispose();
    }
  });

  it("a key's rpm is its own limit", async () => {
    const env = { IMAGEGEN_KEYS_FILE: await keysFile('rpm.json', [{ name: 'slow', key: WEB, rpm: 2 }]) };
    const gateway = await makeGateway(worker, { env });
    try {
      const auth = { authorization: `Bearer ${WEB}` };
      const statuses = [];
      for (let index = 0; index < 3; index++) statuses.push((await gateway.post(body, auth)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await gateway.dispose();
    }
  });

  it.each([
    ['accepts and never answers', true],
    ['refuses connections', false],
  ])(
    'a Redis that %s: a budgeted request answers 503 budget_store_unavailable (Redis commands time out after 1 s), never a hang',
    async (_, listen) => {
      let server: Server | undefined;
      let port: number;
      if (listen) {
        server = createServer(() => {});
        await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
        port = (server.address() as { port: number }).port;
      } else {
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
        port = (probe.address() as { port: number }).port;
        await new Promise<void>((resolve) => probe.close(() => resolve()));
      }
      const env = { IMAGEGEN_REDIS_URL: `redis://127.0.0.1:${port}`, IMAGEGEN_KEYS_FILE: await keysFile('down.json', [webApp]) };
      const gateway = await makeGateway(worker, { env, takeJobs: false });
      try {
        const answer = await gateway.post(body, { authorization: `Bearer ${WEB}` });
        expect(answer.status).toBe(503);
        expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('budget_store_unavailable');
        expect(answer.headers.get('retry-after')).toBe('2');
      } finally {
        await gateway.dispose();
        server?.close();
      }
    },
  );
});

describe('the keys file', () => {
  const alias = (model: string) => (model === 'flux' ? 'flux' : undefined);
  it.each([
    ['[{"name":"a","key":"short"}]', /key must be a string of at least/],
    ['[{"name":"a","key":"sk-0123456789abcdef","maxBudget":5}]', /a maxBudget needs budgetDuration "1d" or "30d"/],
    ['[{"name":"a","key":"sk-0123456789abcdef","budget":5}]', /unknown field 'budget'/],
    ['[{"name":"a","key":"sk-0123456789abcdef","models":["dall-e"]}]', /unknown model 'dall-e'/],
    ['[{"name":"a","key":"sk-0123456789abcdef"},{"name":"a","keySha256":"' + 'a'.repeat(64) + '"}]', /the name 'a' is used twice/],
    ['{"name":"a"}', /must be a JSON array/],
  ])('refuses %s, saying where and why', (text, words) => {
    expect(() => parseKeyEntries(text, 'keys.json', alias)).toThrow(words);
  });
  it('never repeats a key in its words', () => {
    expect(() =>
      parseKeyEntries('[{"name":"a","key":"sk-secret-9876543210","maxBudget":-1,"budgetDuration":"1d"}]', 'keys.json', alias),
    ).toThrow(/^((?!sk-secret).)*$/);
  });
});

describe('a Redis gone quiet under a running gateway', () => {
  it.each([
    ['an Idempotency-Key request', { 'idempotency-key': 'order-1' }, 'idempotency_store_unavailable', true],
    ['a plain request (the shared queue)', {}, 'queue_unavailable', true],
    ['an Idempotency-Key request', { 'idempotency-key': 'order-2' }, 'idempotency_store_unavailable', false],
    ['a plain request (the shared queue)', {}, 'queue_unavailable', false],
  ])('%s answers %s (a Redis that accepts and never answers: %s), never a hang or a 500', async (_, headers, code, listen) => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    if (!listen) await new Promise<void>((resolve) => server.close(() => resolve()));
    const gateway = await makeGateway(worker, { env: { IMAGEGEN_REDIS_URL: `redis://127.0.0.1:${port}` }, takeJobs: false });
    try {
      const answer = await gateway.post(body, headers);
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(code);
      expect(answer.headers.get('retry-after')).toBe('2');
    } finally {
      await gateway.dispose();
      if (listen) server.close();
    }
  });
});

describe('Redis stopped under a running gateway, then back', () => {
  it('a budgeted request answers 503 budget_store_unavailable while it is down, and 200 once it is back', async () => {
    const own = await startRedis();
    const port = Number(new URL(own.url).port);
    const env = { IMAGEGEN_REDIS_URL: own.url, IMAGEGEN_KEYS_FILE: await keysFile('restart.json', [{ ...webApp, maxBudget: 1 }]) };
    const gateway = await makeGateway(worker, { env });
    let again: TestRedis | undefined;
    try {
      const auth = { authorization: `Bearer ${WEB}` };
      expect((await gateway.post(body, auth)).status).toBe(200);
      await own.stop();
      const down = await gateway.post(body, auth);
      expect(down.status).toBe(503);
      expect(((await down.json()) as { error: { code: string } }).error.code).toMatch(/budget_store_unavailable|queue_unavailable/);
      again = await startRedis('redis-server', port);
      await vi.waitFor(async () => expect((await gateway.post(body, auth)).status).toBe(200), { timeout: 20_000, interval: 250 });
    } finally {
      await gateway.dispose();
      await again?.stop();
    }
  }, 40_000);
});
