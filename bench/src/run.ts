// `pnpm bench`: imagegen against raw baselines measured in the same run, interleaved, as ratios.
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAdaptorServer } from '@hono/node-server';
import { createImageGenerator } from '@imagegen/core/node';
import { createApp } from '@imagegen/http';
import { startTestWorker, type TestWorker } from '@imagegen/testkit';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { pino } from 'pino';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG_64K, QUICK, here, log, rows, scale, scratch } from './bench-context.js';
import { localRendering, scaling } from './batch-bench.js';
import { pool, quantile, ratio, since } from './stats.js';
import { rawClient } from './raw-client.js';

function generatorFor(worker: TestWorker, dir: string) {
  return createImageGenerator({ env: { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: dir, IMAGEGEN_LOG_LEVEL: 'silent' } });
}

async function sequentialLatency(worker: TestWorker): Promise<void> {
  const count = scale(500);
  log(`1. sequential latency: ${count} generations each, interleaved`);
  const dirA = await scratch('seq-a');
  const dirB = await scratch('seq-b');
  const generator = generatorFor(worker, dirA);
  const raw = rawClient(worker.fluxUrl, dirB);
  const ours: number[] = [];
  const theirs: number[] = [];
  const one = async (side: 'ours' | 'raw', index: number, record: boolean) => {
    const started = performance.now();
    if (side === 'ours') {
      const result = await generator.generateWithFlux(`bench ${index}`);
      if (!result.ok) throw result.error;
    } else {
      await raw.generate(`bench ${index}`);
    }
    if (record) (side === 'ours' ? ours : theirs).push(since(started));
  };
  for (let index = 0; index < 50; index++) {
    await one('ours', index, false);
    await one('raw', index, false);
  }
  for (let index = 0; index < count; index++) {
    // Alternate who goes first, so neither always meets a warm or a cold socket.
    const order: Array<'ours' | 'raw'> = index % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours'];
    for (const side of order) await one(side, index, true);
  }
  const median = ratio(quantile(ours, 0.5), quantile(theirs, 0.5));
  const p99 = ratio(quantile(ours, 0.99), quantile(theirs, 0.99));
  rows.push({
    name: '1 sequential latency (64 KB PNG)',
    figure: 'median imagegen/raw',
    value: median,
    target: '<= 1.10',
    met: median <= 1.1,
    detail: `median ${quantile(ours, 0.5).toFixed(2)} ms vs ${quantile(theirs, 0.5).toFixed(2)} ms`,
  });
  rows.push({
    name: '1 sequential latency (64 KB PNG)',
    figure: 'p99 imagegen/raw',
    value: p99,
    target: '(reported)',
    met: true,
    detail: `p99 ${quantile(ours, 0.99).toFixed(2)} ms vs ${quantile(theirs, 0.99).toFixed(2)} ms`,
  });
  await generator.close();
  await raw.close();
  await Promise.all([rm(dirA, { recursive: true, force: true }), rm(dirB, { recursive: true, force: true })]);
}

async function throughput(worker: TestWorker, concurrency: number): Promise<void> {
  const total = scale(2000);
  log(`2. throughput: ${total} generations each at concurrency ${concurrency}, 4 interleaved rounds`);
  const dirA = await scratch('tp-a');
  const dirB = await scratch('tp-b');
  const generator = generatorFor(worker, dirA);
  const raw = rawClient(worker.fluxUrl, dirB);
  const time = { ours: 0, raw: 0 };
  const round = total / 4;
  await pool(100, concurrency, (index) => generator.generateWithFlux(`warm ${index}`));
  await pool(100, concurrency, (index) => raw.generate(`warm ${index}`));
  for (let r = 0; r < 4; r++) {
    for (const side of r % 2 === 0 ? (['ours', 'raw'] as const) : (['raw', 'ours'] as const)) {
      const started = performance.now();
      await pool(round, concurrency, async (index) => {
        if (side === 'raw') return raw.generate(`tp ${index}`);
        const result = await generator.generateWithFlux(`tp ${index}`);
        if (!result.ok) throw result.error;
      });
      time[side] += since(started);
    }
  }
  const oursRate = (total / time.ours) * 1000;
  const rawRate = (total / time.raw) * 1000;
  const value = ratio(oursRate, rawRate);
  rows.push({
    name: `2 throughput at concurrency ${concurrency}`,
    figure: 'imagegen/raw req/s',
    value,
    target: concurrency === 10 ? '>= 0.90' : '(reported)',
    met: concurrency === 10 ? value >= 0.9 : true,
    detail: `${oursRate.toFixed(0)} vs ${rawRate.toFixed(0)} images/s (pool of 10 connections)`,
  });
  await generator.close();
  await raw.close();
  await Promise.all([rm(dirA, { recursive: true, force: true }), rm(dirB, { recursive: true, force: true })]);
}

async function bigImageMemory(): Promise<void> {
  const bytes = QUICK ? 50 * 1024 * 1024 : 200 * 1024 * 1024;
  log(`3. memory: one ${bytes / 1024 / 1024} MB image, each side in its own process`);
  const worker = await startTestWorker({ logRequests: false });
  worker.respond((request) => (request.prompt === 'warm' ? {} : { hugeBytes: bytes }));
  const run = async (mode: string) => {
    const dir = await scratch(`big-${mode}`);
    const { stdout } = await promisify(execFile)(process.execPath, [here('./big-image-child.js'), mode, worker.fluxUrl, dir], {
      maxBuffer: 1024 * 1024,
    });
    await rm(dir, { recursive: true, force: true });
    return JSON.parse(stdout) as { ok: boolean; growthBytes: number };
  };
  const ours = await run('imagegen');
  const buffered = await run('buffer');
  const streamed = await run('stream');
  await worker.close();
  const mb = (value: number) => value / 1024 / 1024;
  rows.push({
    name: '3 memory for a big image',
    figure: 'peak RSS growth, MB',
    value: Math.round(mb(ours.growthBytes)),
    target: '< 32 (baseline ~ image size)',
    met: ours.ok && mb(ours.growthBytes) < 32,
    detail: `imagegen ${mb(ours.growthBytes).toFixed(1)} MB (ok: ${ours.ok}) vs buffering ${mb(buffered.growthBytes).toFixed(1)} MB; raw undici stream-to-file floor ${mb(streamed.growthBytes).toFixed(1)} MB`,
  });
}

async function listen(
  fetchHandler: (request: Request) => Response | Promise<Response>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createAdaptorServer({ fetch: fetchHandler }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function gateway(worker: TestWorker): Promise<void> {
  const seconds = QUICK ? 2 : 5;
  log(`4. gateway: autocannon, 32 connections, 2 x ${seconds} s per side, interleaved`);
  const dir = await scratch('gw');
  const generator = generatorFor(worker, dir);
  const app = createApp({ generator, keys: [], logger: pino({ level: 'silent' }), rateLimit: false, concurrency: 32, maxWaiting: 1024 });
  const ours = await listen(app.fetch);
  const agent = new Agent({ connections: 10, keepAliveTimeout: 30_000 });
  const bare = new Hono();
  bare.post('/v1/images/generations', async (context) => {
    const body = await context.req.json<{ prompt: string }>();
    const response = await undiciFetch(`${worker.fluxUrl}?prompt=${encodeURIComponent(body.prompt)}`, { dispatcher: agent });
    const b64 = Buffer.from(await response.arrayBuffer()).toString('base64');
    return context.json({ created: Math.floor(Date.now() / 1000), data: [{ b64_json: b64 }] });
  });
  const theirs = await listen(bare.fetch);
  const hit = (url: string) =>
    autocannon({
      url: `${url}/v1/images/generations`,
      method: 'POST',
      connections: 32,
      duration: seconds,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'bench', response_format: 'b64_json' }),
    });
  const results = { ours: [] as autocannon.Result[], bare: [] as autocannon.Result[] };
  for (const side of ['ours', 'bare', 'bare', 'ours'] as const) results[side].push(await hit(side === 'ours' ? ours.url : theirs.url));
  const rps = (list: autocannon.Result[]) => list.reduce((sum, result) => sum + result.requests.average, 0) / list.length;
  const p99 = (list: autocannon.Result[]) => list.reduce((sum, result) => sum + result.latency.p99, 0) / list.length;
  const errors = (list: autocannon.Result[]) => list.reduce((sum, result) => sum + result.errors + result.non2xx, 0);
  const value = ratio(rps(results.ours), rps(results.bare));
  rows.push({
    name: '4 gateway (b64_json, 64 KB)',
    figure: 'req/s imagegen/bare',
    value,
    target: '>= 0.80',
    met: value >= 0.8 && errors(results.ours) === 0,
    detail: `${rps(results.ours).toFixed(0)} vs ${rps(results.bare).toFixed(0)} req/s; non-2xx/errors ${errors(results.ours)} vs ${errors(results.bare)}`,
  });
  rows.push({
    name: '4 gateway (b64_json, 64 KB)',
    figure: 'p99 imagegen/bare',
    value: ratio(p99(results.ours), p99(results.bare)),
    target: '(reported)',
    met: true,
    detail: `p99 ${p99(results.ours).toFixed(1)} ms vs ${p99(results.bare).toFixed(1)} ms`,
  });
  await ours.close();
  await theirs.close();
  await app.close();
  await agent.close();
  await rm(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const started = performance.now();
  const worker = await startTestWorker({ defaultReply: { body: PNG_64K, contentType: 'image/png' }, logRequests: false });
  await sequentialLatency(worker);
  await throughput(worker, 10);
  await throughput(worker, 50);
  await gateway(worker);
  await worker.close();
  await bigImageMemory();
  await scaling();
  await localRendering();

  const header = ['benchmark', 'figure', 'value', 'target', 'met', 'detail'];
  const lines = rows.map((row) => [row.name, row.figure, String(row.value), row.target, row.met ? 'yes' : 'NO', row.detail]);
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const table = [format(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
  process.stdout.write(`\n${table}\n\n`);
  const resultsDir = here('../results');
  await mkdir(resultsDir, { recursive: true });
  const report = { date: new Date().toISOString(), node: process.version, quick: QUICK, seconds: Math.round(since(started) / 1000), rows };
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`written bench/results/latest.json in ${report.seconds} s`);
}

await main();
