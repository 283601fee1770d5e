// Row 4 of `pnpm bench`: the gateway against a bare Hono proxy, under autocannon, round by round.
import { rm } from 'node:fs/promises';
import { createApp } from '@imagegen/http';
import type { TestWorker } from '@imagegen/testkit';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { pino } from 'pino';
import { Agent, fetch as undiciFetch } from 'undici';
import { log, QUICK, rows, scratch } from './bench-context.js';
import { generatorFor } from './core-bench.js';
import { listen } from './loopback-server.js';
import { interleaved, mean, roundRatios } from './stats.js';

/** The fastest proxy one could write by hand: Hono, undici fetch to the worker, base64, JSON. */
function bareProxy(worker: TestWorker, agent: Agent): Hono {
  const bare = new Hono();
  bare.post('/v1/images/generations', async (context) => {
    const body = await context.req.json<{ prompt: string }>();
    const response = await undiciFetch(`${worker.fluxUrl}?prompt=${encodeURIComponent(body.prompt)}`, { dispatcher: agent });
    const b64 = Buffer.from(await response.arrayBuffer()).toString('base64');
    return context.json({ created: Math.floor(Date.now() / 1000), data: [{ b64_json: b64 }] });
  });
  return bare;
}

export async function gateway(worker: TestWorker): Promise<void> {
  const rounds = QUICK ? 3 : 32;
  const amount = QUICK ? 300 : 600;
  log(`4. gateway: autocannon, 32 connections, ${rounds} rounds of ${amount} requests per side, interleaved`);
  const dir = await scratch('gw');
  const generator = generatorFor(worker, dir);
  const app = createApp({ generator, keys: [], logger: pino({ level: 'silent' }), rateLimit: false, concurrency: 32, maxWaiting: 1024 });
  const agent = new Agent({ connections: 10, keepAliveTimeout: 30_000 });
  const servers = { ours: await listen(app.fetch), bare: await listen(bareProxy(worker, agent).fetch) };
  // Timed from the start to the last response: autocannon settles an `amount` run on its
  // one-second ticker, so its own duration (and the promise) are whole seconds late.
  const hit = (side: 'ours' | 'bare', requests: number) =>
    new Promise<{ result: autocannon.Result; seconds: number }>((resolve, reject) => {
      const started = performance.now();
      let last = started;
      const instance = autocannon(
        {
          url: `${servers[side].url}/v1/images/generations`,
          method: 'POST',
          connections: 32,
          amount: requests,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: 'bench', response_format: 'b64_json' }),
        },
        (error: Error | null, result) => (error ? reject(error) : resolve({ result, seconds: (last - started) / 1000 })),
      );
      instance.on('response', () => {
        last = performance.now();
      });
    });
  await hit('ours', 500);
  await hit('bare', 500);
  const results = { ours: [] as autocannon.Result[], bare: [] as autocannon.Result[] };
  const rates = await interleaved(['ours', 'bare'] as const, rounds, async (side) => {
    const { result, seconds } = await hit(side, amount);
    results[side].push(result);
    return result.requests.total / seconds;
  });
  const throughput = roundRatios(rates.ours.map((ours, round) => ours / rates.bare[round]!));
  const p99 = roundRatios(results.ours.map((ours, round) => ours.latency.p99 / results.bare[round]!.latency.p99));
  const errors = (list: autocannon.Result[]) => list.reduce((sum, result) => sum + result.errors + result.non2xx, 0);
  const p99Of = (list: autocannon.Result[]) => mean(list.map((result) => result.latency.p99));
  rows.push({
    name: '4 gateway (b64_json, 64 KB)',
    figure: 'req/s imagegen/bare',
    value: throughput.value,
    spread: throughput.spread,
    target: '>= 0.85',
    met: throughput.value >= 0.85 && errors(results.ours) === 0,
    detail: `${mean(rates.ours).toFixed(0)} vs ${mean(rates.bare).toFixed(0)} req/s (mean of rounds); non-2xx/errors ${errors(results.ours)} vs ${errors(results.bare)}`,
  });
  rows.push({
    name: '4 gateway (b64_json, 64 KB)',
    figure: 'p99 imagegen/bare',
    value: p99.value,
    spread: p99.spread,
    target: '<= 1.5',
    met: p99.value <= 1.5,
    detail: `p99 ${p99Of(results.ours).toFixed(1)} ms vs ${p99Of(results.bare).toFixed(1)} ms`,
  });
  await servers.ours.close();
  await servers.bare.close();
  await app.close();
  await agent.close();
  await rm(dir, { recursive: true, force: true });
}
