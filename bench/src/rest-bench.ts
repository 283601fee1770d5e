// Row 8 of `pnpm bench`: the Workers AI REST route (Cloudflare's envelope around a base64 image)
// against a raw fetch of the same loopback endpoint: the price of imagegen's REST route.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createImageGenerator } from '@imagegen/core/node';
import { Hono } from 'hono';
import { log, PNG_64K, QUICK, rows, scratch } from './bench-context.js';
import { listen } from './loopback-server.js';
import { inProcesses, PROCESSES, type Series } from './processes.js';
import { interleaved, mean, pool, pairedRatios, since } from './stats.js';

const MODEL_PATH = '/client/v4/accounts/bench/ai/run/@cf/black-forest-labs/flux-1-schnell';

/** A Workers AI REST stand-in with one answer ready: the 64 KB image in Cloudflare's envelope. */
function restServer(): Hono {
  const answer = JSON.stringify({ result: { image: Buffer.from(PNG_64K).toString('base64') }, success: true, errors: [], messages: [] });
  const server = new Hono();
  server.post(MODEL_PATH, (context) => context.body(answer, 200, { 'content-type': 'application/json' }));
  return server;
}

const CONCURRENCY = 10;

/** Rounds of `perRound` images at concurrency 10, imagegen's REST route and the raw fetch interleaved: images/s. */
export async function measureRest(rounds: number): Promise<Series> {
  // Rounds of half a second: with 240 images (0.28 s) two runs' medians differed by 0.06.
  const perRound = QUICK ? 100 : 400;
  const concurrency = CONCURRENCY;
  const server = await listen(restServer().fetch);
  const dirs = { ours: await scratch('rest-ours'), raw: await scratch('rest-raw') };
  const generator = createImageGenerator({
    env: {
      CLOUDFLARE_ACCOUNT_ID: 'bench',
      CLOUDFLARE_API_TOKEN: 'bench-token',
      CLOUDFLARE_API_BASE_URL: `${server.url}/client/v4`,
      IMAGEGEN_OUTPUT_DIR: dirs.ours,
      IMAGEGEN_LOG_LEVEL: 'silent',
    },
  });
  let files = 0;
  // The raw baseline: POST JSON, parse the envelope, decode the base64, write the file.
  const raw = async (prompt: string) => {
    const response = await fetch(`${server.url}${MODEL_PATH}`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt }),
    });
    const body = (await response.json()) as { result: { image: string } };
    await writeFile(join(dirs.raw, `raw_${files++}.png`), Buffer.from(body.result.image, 'base64'));
  };
  const ours = async (prompt: string) => {
    const result = await generator.generate('flux', prompt);
    if (!result.ok) throw result.error;
  };
  const one = (side: 'ours' | 'raw', prompt: string) => (side === 'ours' ? ours(prompt) : raw(prompt));
  await pool(200, concurrency, (index) => one('ours', `warm ${index}`));
  await pool(200, concurrency, (index) => one('raw', `warm ${index}`));
  const rates = await interleaved(['ours', 'raw'] as const, rounds, async (side, round) => {
    const started = performance.now();
    await pool(perRound, concurrency, (index) => one(side, `rest ${round} ${index}`));
    return (perRound / since(started)) * 1000;
  });
  await generator.close();
  await server.close();
  await Promise.all(Object.values(dirs).map((dir) => rm(dir, { recursive: true, force: true })));
  return rates;
}

export async function restRoute(): Promise<void> {
  const rounds = QUICK ? 4 : 80;
  log(`8. REST route: imagegen against a raw fetch of the same envelope, ${rounds} rounds in ${PROCESSES} processes`);
  const rates = await inProcesses('rest', rounds);
  const [ours, raw] = [rates.ours!, rates.raw!];
  const summary = pairedRatios(ours, raw);
  rows.push({
    name: '8 REST route (envelope, 64 KB)',
    figure: 'imagegen/raw images/s',
    value: summary.value,
    spread: summary.spread,
    target: '>= 0.95',
    met: summary.value >= 0.95,
    detail: `${mean(ours).toFixed(0)} vs ${mean(raw).toFixed(0)} images/s (mean of rounds); concurrency ${CONCURRENCY}`,
  });
}
