import { createServer, type Server } from 'node:http';
import { seededRandom } from './chaos.js';
import { makePng } from './images.js';

/** How the simulated account behaves: its limits and how long an image takes. */
export interface SimulatedWorkersAiOptions {
  /** Requests a minute the account allows (Workers AI: about 720 for text-to-image), scaled down for tests. @default 120 */
  limitPerMinute?: number;
  /** How many seconds of the limit may come at once (the token bucket's size). @default 2 */
  burstSeconds?: number;
  /** Images being made at once past which it answers 429 too (out of capacity). @default no cap */
  maxConcurrent?: number;
  /** The time an image takes, drawn uniformly from [min, max] ms. @default [300, 900] */
  latencyMs?: readonly [number, number];
  /** Seed of the latency draws: the same seed, the same latencies. @default 1 */
  seed?: number;
}

/** One request as the simulated account saw it. */
export interface SimulatedRequest {
  /** ms since the server started. */
  at: number;
  model: string;
  status: 200 | 429;
  /** ms since the server started, when the image was sent (200s only). */
  doneAt?: number;
}

/** A running simulated Workers AI REST API. */
export interface SimulatedWorkersAi {
  /** `CLOUDFLARE_API_BASE_URL` for it (account id and token are not checked). */
  baseUrl: string;
  /** The environment that sends imagegen's REST route to it. */
  env: Record<string, string>;
  /** Every run request, in arrival order. */
  requests: SimulatedRequest[];
  close(): Promise<void>;
}

const IMAGE = makePng(16, 16, [40, 120, 200]);
const RUN_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/run\/(.+)$/;

/**
 * A Workers AI REST API that behaves like an account at its limits: a per-minute request limit
 * (a token bucket: `limitPerMinute` a minute, `burstSeconds` of it at once), an optional cap on
 * images in progress, answers that take 300-900 ms, and past a limit Cloudflare's 429 with code
 * 3040 and `Retry-After` (whole seconds) plus `retry-after-ms` (the exact wait). Every request
 * is logged. For the bench and integration tests of pacing: it runs on real time.
 *
 * @example
 * const ai = await startSimulatedWorkersAi({ limitPerMinute: 120 });
 * const generator = createImageGenerator({ env: { ...ai.env, IMAGEGEN_OUTPUT_DIR: dir } });
 * // ... then count ai.requests by status
 * await ai.close();
 */
export async function startSimulatedWorkersAi(options: SimulatedWorkersAiOptions = {}): Promise<SimulatedWorkersAi> {
  const perMs = (options.limitPerMinute ?? 120) / 60_000;
  const capacity = Math.max(1, perMs * 1000 * (options.burstSeconds ?? 2));
  const [low, high] = options.latencyMs ?? [300, 900];
  const random = seededRandom(options.seed ?? 1);
  const started = performance.now();
  const requests: SimulatedRequest[] = [];
  let tokens = capacity;
  let filledAt = started;
  let inProgress = 0;

  const server: Server = createServer((req, res) => {
    const model = RUN_PATH.exec(req.url ?? '')?.[1];
    req.resume();
    if (req.method !== 'POST' || !model) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"success":false,"errors":[{"code":7000,"message":"No route"}]}');
      return;
    }
    const now = performance.now();
    tokens = Math.min(capacity, tokens + (now - filledAt) * perMs);
    filledAt = now;
    const overCap = options.maxConcurrent !== undefined && inProgress >= options.maxConcurrent;
    if (tokens < 1 || overCap) {
      const waitMs = overCap ? low : Math.ceil((1 - tokens) / perMs);
      requests.push({ at: now - started, model, status: 429 });
      res
        .writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(Math.ceil(waitMs / 1000)),
          'retry-after-ms': String(waitMs),
        })
        .end(
          JSON.stringify({
            success: false,
            errors: [{ code: 3040, message: 'Capacity temporarily exceeded, please try again.' }],
            result: null,
          }),
        );
      return;
    }
    tokens -= 1;
    inProgress++;
    const logged: SimulatedRequest = { at: now - started, model, status: 200 };
    requests.push(logged);
    const timer = setTimeout(
      () => {
        inProgress--;
        logged.doneAt = performance.now() - started;
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(IMAGE.length) }).end(IMAGE);
      },
      low + random() * (high - low),
    );
    res.on('close', () => {
      if (res.writableEnded) return;
      clearTimeout(timer);
      inProgress--;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}/client/v4`;
  return {
    baseUrl,
    env: { CLOUDFLARE_ACCOUNT_ID: 'simulated', CLOUDFLARE_API_TOKEN: 'simulated-token', CLOUDFLARE_API_BASE_URL: baseUrl },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
