// Row 7 of `pnpm bench`: the price of each layer beside a peer, the official `openai` client.
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createApp } from '@imagegen/http';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { pino } from 'pino';
import { log, PNG_64K, QUICK, rows, scratch } from './bench-context.js';
import { generatorFor, pngWorker } from './core-bench.js';
import { inProcesses, PROCESSES, type Series } from './processes.js';
import { listen } from './loopback-server.js';
import { interleaved, mean, pool, pairedRatios, since } from './stats.js';

type Side = 'openai' | 'gateway' | 'core';

/** An OpenAI-shaped server with one answer ready: the same 64 KB image as b64_json. */
function openAiShapedServer(): Hono {
  const answer = JSON.stringify({ created: 0, data: [{ b64_json: Buffer.from(PNG_64K).toString('base64') }] });
  const server = new Hono();
  server.post('/v1/images/generations', (context) => context.body(answer, 200, { 'content-type': 'application/json' }));
  return server;
}

const CONCURRENCY = 10;

/** Rounds of `perRound` images at concurrency 10 for each of the three, interleaved: images/s. */
export async function measurePeer(rounds: number): Promise<Series> {
  const perRound = QUICK ? 100 : 300;
  const concurrency = CONCURRENCY;
  const worker = await pngWorker();
  const dir = await scratch('peer');
  const generator = generatorFor(worker, dir);
  const app = createApp({ generator, keys: [], logger: pino({ level: 'silent' }), rateLimit: false, concurrency: 32, maxWaiting: 1024 });
  const servers = { openai: await listen(openAiShapedServer().fetch), gateway: await listen(app.fetch) };
  const clients = {
    openai: new OpenAI({ baseURL: `${servers.openai.url}/v1`, apiKey: 'bench', maxRetries: 0 }),
    gateway: new OpenAI({ baseURL: `${servers.gateway.url}/v1`, apiKey: 'bench', maxRetries: 0 }),
  };
  let files = 0;
  const one = async (side: Side, prompt: string) => {
    if (side === 'core') {
      const result = await generator.generateWithFlux(prompt);
      if (!result.ok) throw result.error;
      return;
    }
    const answer = await clients[side].images.generate({ model: 'flux', prompt, response_format: 'b64_json' });
    await writeFile(join(dir, `peer_${files++}.png`), Buffer.from(answer.data![0]!.b64_json!, 'base64'));
  };
  const sides: Side[] = ['openai', 'gateway', 'core'];
  for (const side of sides) await pool(100, concurrency, (index) => one(side, `warm ${index}`));
  const rates = await interleaved(sides, rounds, async (side, round) => {
    const started = performance.now();
    await pool(perRound, concurrency, (index) => one(side, `peer ${round} ${index}`));
    return (perRound / since(started)) * 1000;
  });
  await servers.openai.close();
  await servers.gateway.close();
  await app.close();
  await worker.close();
  await rm(dir, { recursive: true, force: true });
  return rates;
}

export async function peer(): Promise<void> {
  const rounds = QUICK ? 2 : 24;
  log(
    `7. peer: openai client (b64_json + file) against an OpenAI-shaped server and imagegen's gateway, and imagegen's core; ${rounds} rounds in ${PROCESSES} processes`,
  );
  const rates = await inProcesses('peer', rounds);
  const [openai, gateway, core] = [rates.openai!, rates.gateway!, rates.core!];
  const gatewayRatio = pairedRatios(gateway, openai);
  const coreRatio = pairedRatios(core, openai);
  rows.push({
    name: '7 peer: openai images.generate',
    figure: 'images/s via gateway / direct',
    value: gatewayRatio.value,
    spread: gatewayRatio.spread,
    target: '(reported)',
    met: true,
    detail: `openai -> OpenAI-shaped server ${mean(openai).toFixed(0)}, openai -> imagegen gateway -> worker ${mean(gateway).toFixed(0)}, imagegen core -> worker ${mean(core).toFixed(0)} images/s (core/openai direct ${coreRatio.value}, ${coreRatio.spread}); concurrency ${CONCURRENCY}`,
  });
}
