// Row 4 of `pnpm bench`: the gateway against a bare Hono proxy, under autocannon, round by round.
import { rm } from 'node:fs/promises';
import { createApp } from '@imagegen/http';
import type { TestWorker } from '@imagegen/testkit';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { pino } from 'pino';
import { Agent, fetch as undiciFetch } from 'undici';
import { log, QUICK, rows, scratch } from './bench-context.js';
import { generatorFor, pngWorker } from './core-bench.js';
import { inProcesses, PROCESSES, type Series } from './processes.js';
import { listen } from './loopback-server.js';
import { interleaved, mean, quantile, ratio, pairedRatios } from './stats.js';

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

/**
 * Rounds of `amount` requests from 32 autocannon connections, the sides interleaved: req/s and
 * p99 per round, every answer's latency, and the errors and non-2xx answers of each side.
 */
export async function measureGateway(rounds: number): Promise<Series> {
  const amount = QUICK ? 300 : 600;
  const worker = await pngWorker();
  const dir = await scratch('gw');
  const generator = generatorFor(worker, dir);
  const app = createApp({ generator, keys: [], logger: pino({ level: 'silent' }), rateLimit: false, concurrency: 32, maxWaiting: 1024 });
  const agent = new Agent({ connections: 10, keepAliveTimeout: 30_000 });
  const servers = { ours: await listen(app.fetch), bare: await listen(bareProxy(worker, agent).fetch) };
  // Timed from the start to the last response: autocannon settles an `amount` run on its
  // one-second ticker, so its own duration (and the promise) are whole seconds late.
  const latencies = { ours: [] as number[], bare: [] as number[] };
  const hit = (side: 'ours' | 'bare', requests: number, record = false) =>
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
      instance.on('response', (_client, _status, _bytes, milliseconds: number) => {
        last = performance.now();
        if (record) latencies[side].push(milliseconds);
      });
    });
  await hit('ours', 500);
  await hit('bare', 500);
  const results = { ours: [] as autocannon.Result[], bare: [] as autocannon.Result[] };
  const rates = await interleaved(['ours', 'bare'] as const, rounds, async (side) => {
    const { result, seconds } = await hit(side, amount, true);
    results[side].push(result);
    return result.requests.total / seconds;
  });
  const errors = (list: autocannon.Result[]) => list.reduce((sum, result) => sum + result.errors + result.non2xx, 0);
  await servers.ours.close();
  await servers.bare.close();
  await app.close();
  await agent.close();
  await worker.close();
  await rm(dir, { recursive: true, force: true });
  const p99s = (side: 'ours' | 'bare') => results[side].map((result) => result.latency.p99);
  return {
    ours: rates.ours,
    bare: rates.bare,
    oursP99: p99s('ours'),
    bareP99: p99s('bare'),
    oursLatency: latencies.ours,
    bareLatency: latencies.bare,
    errors: [errors(results.ours), errors(results.bare)],
  };
}

export async function gateway(): Promise<void> {
  const rounds = QUICK ? 3 : 48;
  log(`4. gateway: autocannon, 32 connections, ${rounds} rounds per side, interleaved, in ${PROCESSES} processes`);
  const series = await inProcesses('gateway', rounds);
  const [ours, bare] = [series.ours!, series.bare!];
  const throughput = pairedRatios(ours, bare);
  // A round's p99 is its 6th slowest answer: the rounds' ratios spread 0.6-1.8 and their median
  // moved by 0.08 between runs. The p99 of every answer of every round (28,800 a side) is the value.
  const p99Rounds = pairedRatios(series.oursP99!, series.bareP99!);
  const p99All = { ours: quantile(series.oursLatency!, 0.99), bare: quantile(series.bareLatency!, 0.99) };
  const p99 = { ...p99Rounds, value: ratio(p99All.ours, p99All.bare) };
  // Each process adds its two error counts: ours at even places, bare's at odd ones.
  const errors = (parity: number) => series.errors!.filter((_, index) => index % 2 === parity).reduce((sum, count) => sum + count, 0);
  rows.push({
    name: '4 gateway (b64_json, 64 KB)',
    figure: 'req/s imagegen/bare',
    value: throughput.value,
    spread: throughput.spread,
    target: '>= 0.85',
    met: throughput.value >= 0.85 && errors(0) === 0,
    detail: `${mean(ours).toFixed(0)} vs ${mean(bare).toFixed(0)} req/s (mean of rounds); non-2xx/errors ${errors(0)} vs ${errors(1)}`,
  });
  rows.push({
    name: '4 gateway (b64_json, 64 KB)',
    figure: 'p99 imagegen/bare',
    value: p99.value,
    spread: p99.spread,
    target: '<= 1.5',
    met: p99.value <= 1.5,
    detail: `p99 of all answers ${p99All.ours.toFixed(1)} ms vs ${p99All.bare.toFixed(1)} ms (spread: the rounds' own p99 ratios)`,
  });
}
