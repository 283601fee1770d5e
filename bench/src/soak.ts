// `pnpm soak`: thousands of generations through the core and the gateway against a worker that
// injects faults from a seed; then checks that nothing was lost, half-written or leaked.
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ERROR_CODES, type GenerationResult } from '@imagegen/core';
import { createImageGenerator } from '@imagegen/core/node';
import { IMAGE_NAME } from '@imagegen/http/app';
import { serve } from '@imagegen/http';
import { chaosImage, chaosResponder, type Fault, startTestWorker } from '@imagegen/testkit';
import { pino } from 'pino';
import { Agent, fetch } from 'undici';
import { handlesLeftOpen, memoryAfterGc, memoryVerdict, stdioHandles } from './soak-verdict.js';
import { pool } from './stats.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string' },
    seconds: { type: 'string', default: '120' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    concurrency: { type: 'string', default: '16' },
  },
});
const seconds = Number(values.seconds);
// By default the run is bounded by time alone: more requests than the time allows.
const coreRequests = values.requests === undefined ? seconds * 1000 : Number(values.requests);
if (!(seconds > 0) || !(coreRequests > 0)) throw new Error('--seconds and --requests take positive numbers');
const gatewayRequests = Math.round(coreRequests / 2);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const SDXL_KEY = `soak-sdxl-key-${seed}-0123456789`;
const GATEWAY_KEY = `soak-gateway-key-${seed}-abcdef`;

let unhandled = 0;
process.on('unhandledRejection', () => void unhandled++);
const stdioAtStart = stdioHandles();
const knownCodes = new Set<string>(ERROR_CODES);
const faults = new Map<Fault, number>();
// Log lines and error bodies are searched for the keys as they come, not kept: keeping them
// would be the soak's own memory growth.
let logLineCount = 0;
let errorBodyCount = 0;
let leaks = 0;

const worker = await startTestWorker({ apiKey: SDXL_KEY, logRequests: false });
worker.respond(chaosResponder({ seed, stallMs: 800, onFault: (fault) => faults.set(fault, (faults.get(fault) ?? 0) + 1) }));
const dir = await mkdtemp(join(tmpdir(), 'imagegen-soak-'));
const secrets = [SDXL_KEY, GATEWAY_KEY];
const leaked = (text: string): boolean => secrets.some((secret) => text.includes(secret));
const logger = pino(
  { level: 'debug' },
  {
    write: (line: string) => {
      logLineCount++;
      if (leaked(line)) leaks++;
    },
  },
);
const generator = createImageGenerator({
  env: { FLUX_WORKER_URL: worker.fluxUrl, SDXL_WORKER_URL: worker.sdxlUrl, SDXL_API_KEY: SDXL_KEY, IMAGEGEN_OUTPUT_DIR: dir },
  logger,
  retry: { baseDelayMs: 5, maxDelayMs: 50 },
  timeouts: { headersMs: 400, bodyMs: 400 },
  agent: { connections: concurrency },
});

const codes = new Map<string, number>();
const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);
let partial = 0;
let unknown = 0;
// Counted, not kept: a set of every name would be the harness's own heap growth over a long run.
// Each ok file's bytes are checked when it is made; the directory is checked against the count.
let okFiles = 0;
let settled = 0;
let issued = 0;

async function checkResult(result: GenerationResult, prompt: string): Promise<void> {
  settled++;
  if (!result.ok) {
    if (!knownCodes.has(result.error.code)) unknown++;
    count(result.error.code);
    return;
  }
  count('ok');
  okFiles++;
  if (!(await readFile(result.path)).equals(chaosImage(prompt))) partial++;
}

// The soak's own HTTP client, closed at the end so that the handle count is the product's.
const client = new Agent({ connections: concurrency });
const coreOne = async (prompt: string, model: 'flux' | 'sdxl') => {
  issued++;
  await checkResult(await generator.generate(model, prompt), prompt);
};

// Gateway: the same worker behind imagegen serve, called over HTTP.
const gatewayCodes = new Map<string, number>();
let gatewayPartial = 0;
let gatewayBadShape = 0;
let gatewaySettled = 0;
const gateway = await serve({
  port: 0,
  keys: [GATEWAY_KEY],
  handleSignals: false,
  logger,
  env: { IMAGEGEN_OUTPUT_DIR: join(dir, 'gateway') },
  generator: createImageGenerator({
    env: {
      FLUX_WORKER_URL: worker.fluxUrl,
      SDXL_WORKER_URL: worker.sdxlUrl,
      SDXL_API_KEY: SDXL_KEY,
      IMAGEGEN_OUTPUT_DIR: join(dir, 'gateway'),
    },
    logger,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    timeouts: { headersMs: 400, bodyMs: 400 },
  }),
  concurrency,
  maxWaiting: 10_000,
  // Served for 20 s, then swept: the gateway's registry of url images stays bounded in a long
  // run (its default keeps an hour of them).
  imageMaxAgeMs: 20_000,
  rateLimit: false,
});
const gatewayOne = async (prompt: string, index: number) => {
  const format = index % 2 ? 'b64_json' : 'url';
  const response = await fetch(`${gateway.url}/v1/images/generations`, {
    dispatcher: client,
    method: 'POST',
    headers: { authorization: `Bearer ${GATEWAY_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt, model: index % 3 === 0 ? 'sdxl' : 'flux', response_format: format }),
  });
  const text = await response.text();
  gatewaySettled++;
  const key = String(response.status);
  gatewayCodes.set(key, (gatewayCodes.get(key) ?? 0) + 1);
  if (response.status !== 200) {
    errorBodyCount++;
    if (leaked(text)) leaks++;
    const body = JSON.parse(text) as { error?: { message?: unknown; type?: unknown; code?: unknown } };
    if (typeof body.error?.message !== 'string' || typeof body.error.type !== 'string' || response.status === 500) gatewayBadShape++;
    return;
  }
  const item = (JSON.parse(text) as { data: Array<{ b64_json?: string; url?: string }> }).data[0]!;
  const bytes = item.b64_json
    ? Buffer.from(item.b64_json, 'base64')
    : Buffer.from(await (await fetch(item.url!, { dispatcher: client })).arrayBuffer());
  if (!bytes.equals(chaosImage(prompt))) gatewayPartial++;
};

// Warm up both paths at full concurrency, so the baseline RSS is the steady state's.
const started = Date.now();
// (Measured: the gateway's footprint settles after about 2,000 requests.)
const warmup = Math.min(1000, Math.round(coreRequests / 10));
const gatewayWarmup = Math.min(2000, Math.round(gatewayRequests * 0.4));
await pool(warmup, concurrency, (index) => coreOne(`warm ${index}`, index % 2 ? 'flux' : 'sdxl'));
await pool(gatewayWarmup, concurrency, (index) => gatewayOne(`warm gateway ${index}`, index));
const memoryAfterWarmup = memoryAfterGc();
// `--seconds` is the measured run, after the warm-up (which ends when the footprint has
// settled, however long a loaded machine takes), split between the core and the gateway.
const measuredFrom = Date.now();
const coreDeadline = measuredFrom + (seconds * 1000) / 2;
const deadline = measuredFrom + seconds * 1000;

await pool(coreRequests - warmup, concurrency, async (index) => {
  if (Date.now() > coreDeadline) return;
  await coreOne(`core ${index} ${seed}`, index % 3 === 0 ? 'sdxl' : 'flux');
});
await pool(gatewayRequests - gatewayWarmup, concurrency, async (index) => {
  if (Date.now() > deadline) return;
  await gatewayOne(`gateway ${index} ${seed}`, index);
});
const memoryEnd = memoryAfterGc();
const memory = memoryVerdict(memoryAfterWarmup, memoryEnd);
await gateway.close();
await generator.close();
await worker.close();
await client.close();
const handlesLeft = await handlesLeftOpen(stdioAtStart);

// The output directory holds exactly the ok files: no temporary file, nothing from a failure.
const listed = (await readdir(dir)).filter((name) => name !== 'gateway');
const stray = listed.filter((name) => !IMAGE_NAME.test(name));
const missing = Math.max(0, okFiles - (listed.length - stray.length));
// More final names than ok results: a failure left a file.
const extra = Math.max(0, listed.length - stray.length - okFiles);
await rm(dir, { recursive: true, force: true });

const elapsed = ((Date.now() - started) / 1000).toFixed(1);
const lost = issued - settled;
const lines = [
  `soak (seed ${seed}, concurrency ${concurrency}, ${elapsed} s)`,
  `faults injected: ${[...faults].map(([fault, n]) => `${fault} ${n}`).join(', ')}`,
  `core: ${settled} generations: ${[...codes]
    .sort()
    .map(([code, n]) => `${code} ${n}`)
    .join(', ')}`,
  `gateway: ${gatewaySettled} requests: ${[...gatewayCodes]
    .sort()
    .map(([status, n]) => `HTTP ${status} ${n}`)
    .join(', ')}`,
  `files: ${okFiles} ok files, ${stray.length + extra} stray (temporary or failed), ${missing} missing`,
  `unknown error codes ${unknown}, gateway bodies not in OpenAI shape ${gatewayBadShape}, unhandled rejections ${unhandled}`,
  `memory from the end of the warm-up: ${memory.line}`,
  `own handles open after close: ${handlesLeft.length === 0 ? 'none' : handlesLeft.join(', ')}`,
  `secret hits in ${logLineCount} log lines and ${errorBodyCount} error bodies: ${leaks}`,
  `${lost} lost, ${partial + gatewayPartial + stray.length + extra} partial`,
];
process.stdout.write(`${lines.join('\n')}\n`);
const healthy =
  lost === 0 &&
  partial + gatewayPartial === 0 &&
  stray.length + extra === 0 &&
  missing === 0 &&
  unknown === 0 &&
  gatewayBadShape === 0 &&
  unhandled === 0 &&
  leaks === 0 &&
  memory.ok &&
  handlesLeft.length === 0;
process.stdout.write(healthy ? 'soak passed\n' : '');
process.exitCode = healthy ? 0 : 1;
if (!healthy) process.stderr.write('soak FAILED: see the lines above\n');
