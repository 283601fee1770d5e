// Row 11 of `pnpm bench`: what a user would pick instead of imagegen for the same job (a prompt to
// an image file over the Workers AI REST API), at concurrency 10 against the same loopback
// stand-in as row 8: the AI SDK's generateImage with Cloudflare's `workers-ai-provider` (its
// `fetch` pointed at loopback, since its REST URL is fixed), and the AI SDK through imagegen's own
// provider, beside imagegen's library. A JSON model (flux-1-schnell) is measured; a binary one
// (sdxl-lightning, answered as PNG bytes) is tried once with each provider and said.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createImagegen } from '@imagegen/ai-sdk';
import { createImageGenerator } from '@imagegen/core/node';
import { generateImage } from 'ai';
import { Hono } from 'hono';
import { createWorkersAI } from 'workers-ai-provider';
import { log, PNG_64K, QUICK, rows, scratch } from './bench-context.js';
import { listen } from './loopback-server.js';
import { inProcesses, PROCESSES, type Series } from './processes.js';
import { interleaved, mean, pairedRatios, pool, since } from './stats.js';

const RUN = '/client/v4/accounts/bench/ai/run/';
const CONCURRENCY = 10;

/** A Workers AI REST stand-in: flux-1-schnell's base64 envelope, sdxl-lightning's PNG bytes. */
function restServer(): Hono {
  const envelope = JSON.stringify({ result: { image: Buffer.from(PNG_64K).toString('base64') }, success: true, errors: [], messages: [] });
  const server = new Hono();
  server.post(`${RUN}@cf/black-forest-labs/flux-1-schnell`, (context) =>
    context.body(envelope, 200, { 'content-type': 'application/json' }),
  );
  server.post(`${RUN}@cf/bytedance/stable-diffusion-xl-lightning`, (context) =>
    context.body(new Uint8Array(PNG_64K), 200, { 'content-type': 'image/png' }),
  );
  return server;
}

type Side = 'imagegen' | 'workersAiProvider' | 'aiSdkImagegen';

async function setUp() {
  const server = await listen(restServer().fetch);
  const dir = await scratch('ai-sdk-peer');
  const env = {
    CLOUDFLARE_ACCOUNT_ID: 'bench',
    CLOUDFLARE_API_TOKEN: 'bench-token',
    CLOUDFLARE_API_BASE_URL: `${server.url}/client/v4`,
    IMAGEGEN_OUTPUT_DIR: dir,
    IMAGEGEN_LOG_LEVEL: 'silent',
  };
  const generator = createImageGenerator({ env });
  const workersAi = createWorkersAI({
    accountId: 'bench',
    apiKey: 'bench-token',
    // Its REST URL is fixed to api.cloudflare.com: the same request, sent to loopback.
    fetch: (input, init) =>
      fetch(String(input instanceof Request ? input.url : input).replace('https://api.cloudflare.com', server.url), init),
  });
  const imagegen = createImagegen({ env });
  let files = 0;
  const save = (bytes: Uint8Array) => writeFile(join(dir, `peer_${files++}.png`), bytes);
  const run = async (side: Side, prompt: string, model = 'flux') => {
    if (side === 'imagegen') {
      const result = await generator.generate(model, prompt);
      if (!result.ok) throw result.error;
      return;
    }
    const id = model === 'flux' ? '@cf/black-forest-labs/flux-1-schnell' : '@cf/bytedance/stable-diffusion-xl-lightning';
    const { image } = await generateImage({
      model: side === 'workersAiProvider' ? workersAi.image(id as Parameters<typeof workersAi.image>[0]) : imagegen.image(id),
      prompt,
      maxRetries: 0,
    });
    await save(image.uint8Array);
  };
  const close = async () => {
    await generator.close();
    await imagegen.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { run, close };
}

/** Rounds of images at concurrency 10 for each of the three, interleaved: images/s. */
export async function measureAiSdkPeers(rounds: number): Promise<Series> {
  const perRound = QUICK ? 100 : 300;
  const { run, close } = await setUp();
  for (const side of ['imagegen', 'workersAiProvider', 'aiSdkImagegen'] as const)
    await pool(100, CONCURRENCY, (index) => run(side, `warm ${index}`));
  const rates = await interleaved(['imagegen', 'workersAiProvider', 'aiSdkImagegen'] as const, rounds, async (side, round) => {
    const started = performance.now();
    await pool(perRound, CONCURRENCY, (index) => run(side, `peer ${round} ${index}`));
    return (perRound / since(started)) * 1000;
  });
  await close();
  return rates;
}

/** One binary-answer image by each side: `ok`, or the failure's first words. */
async function binaryModel(): Promise<Record<Side, string>> {
  const { run, close } = await setUp();
  const outcome = async (side: Side) =>
    run(side, 'a lighthouse', 'sdxl-lightning').then(
      () => 'ok',
      (error: unknown) =>
        `fails (${String((error as Error).message)
          .replace(/\s+/g, ' ')
          // A PNG's own bytes can be in the message: they would make the table a binary file.
          .replace(/[^\x20-\x7e]+/g, '?')
          .slice(0, 60)})`,
    );
  const answer = {
    imagegen: await outcome('imagegen'),
    workersAiProvider: await outcome('workersAiProvider'),
    aiSdkImagegen: await outcome('aiSdkImagegen'),
  };
  await close();
  return answer;
}

export async function aiSdkPeers(): Promise<void> {
  const rounds = QUICK ? 4 : 40;
  log(
    `11. AI SDK peers: generateImage with workers-ai-provider and with @imagegen/ai-sdk against imagegen, ${rounds} rounds in ${PROCESSES} processes`,
  );
  const rates = await inProcesses('ai-sdk-peers', rounds);
  const binary = await binaryModel();
  const ours = rates.imagegen!;
  for (const [side, label] of [
    ['workersAiProvider', 'AI SDK + workers-ai-provider'],
    ['aiSdkImagegen', 'AI SDK + @imagegen/ai-sdk'],
  ] as const) {
    const summary = pairedRatios(rates[side]!, ours);
    rows.push({
      name: `11 peer: ${label} (REST, JSON model)`,
      figure: 'peer/imagegen images/s',
      value: summary.value,
      spread: summary.spread,
      target: 'printed',
      met: true,
      detail: `${mean(rates[side]!).toFixed(0)} vs ${mean(ours).toFixed(0)} images/s, concurrency ${CONCURRENCY}; binary model (sdxl-lightning): ${binary[side]}`,
    });
  }
}
