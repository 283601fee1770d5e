import { NEVER } from './gate.js';
import { makePng } from './images.js';
import type { LoggedRequest, Reply, Responder } from './worker-server.js';

/** The faults a chaos worker injects. */
export type Fault =
  | 'ok'
  | 'server_error'
  | 'rate_limited'
  | 'reset_mid_body'
  | 'stalled_body'
  | 'slow_headers'
  | 'truncated_body'
  | 'wrong_content_type'
  | 'lying_content_type'
  | 'empty_200'
  | 'redirect';

/** How often each fault happens (relative weights). */
export type FaultWeights = Partial<Record<Fault, number>>;

/** The default mix: mostly good answers, every fault present. */
export const DEFAULT_FAULT_WEIGHTS: Readonly<Record<Fault, number>> = {
  ok: 50,
  server_error: 8,
  rate_limited: 5,
  reset_mid_body: 6,
  stalled_body: 3,
  slow_headers: 3,
  truncated_body: 6,
  wrong_content_type: 4,
  lying_content_type: 4,
  empty_200: 4,
  redirect: 7,
};

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The image a chaos worker answers for a prompt when it answers well: a real PNG that embeds
 * the prompt, so a client's file can be compared byte for byte with what was sent.
 */
export function chaosImage(prompt: string): Buffer {
  const png = makePng(4, 4, [prompt.length % 256, 90, 160], 2048);
  const text = Buffer.from(`imagegen:${prompt}`);
  // Put the prompt in a tEXt-like private chunk before IEND, keeping the PNG valid.
  const head = png.subarray(0, png.length - 12);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length, 0);
  return Buffer.concat([head, length, Buffer.from('prOm'), text, Buffer.alloc(4), png.subarray(png.length - 12)]);
}

/** Options of {@link chaosResponder}. */
export interface ChaosOptions {
  seed: number;
  weights?: FaultWeights;
  /** How long slow headers wait, in ms; by default they never come (the client's timeout decides, no timer races it). */
  stallMs?: number;
  /** Called with each request's fault, to count them. */
  onFault?: (fault: Fault, request: LoggedRequest) => void;
}

/**
 * A responder that injects faults at random from a seeded generator, so that a failing run
 * can be replayed from its seed. Requests to `/ok` (redirect targets) always answer well.
 *
 * @example
 * const worker = await startTestWorker({ logRequests: false });
 * worker.respond(chaosResponder({ seed: 42 }));
 */
export function chaosResponder(options: ChaosOptions): Responder {
  const next = seededRandom(options.seed);
  const weights = { ...DEFAULT_FAULT_WEIGHTS, ...options.weights };
  const entries = Object.entries(weights) as Array<[Fault, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const pick = (): Fault => {
    let roll = next() * total;
    for (const [fault, weight] of entries) {
      roll -= weight;
      if (roll < 0) return fault;
    }
    return 'ok';
  };
  return (request) => {
    const prompt = request.prompt ?? '';
    const image = chaosImage(prompt);
    const fault: Fault = request.path.endsWith('/ok') ? 'ok' : pick();
    options.onFault?.(fault, request);
    const replies: Record<Fault, () => Reply> = {
      ok: () => ({ body: image, contentType: 'image/png' }),
      server_error: () => ({ status: [500, 502, 503, 504][Math.floor(next() * 4)]! }),
      rate_limited: () => ({ status: 429, headers: { 'retry-after': '1' } }),
      reset_mid_body: () => ({ body: image, contentType: 'image/png', resetAfterBytes: Math.floor(image.length / 2) }),
      stalled_body: () => ({ body: image, contentType: 'image/png', stallAfterBytes: 100 }),
      slow_headers: () => ({
        ...(options.stallMs === undefined ? { holdUntil: NEVER } : { delayMs: options.stallMs }),
        body: image,
        contentType: 'image/png',
      }),
      // A correct Content-Length for a body that was cut: only the image's own structure tells.
      truncated_body: () => ({ body: image.subarray(0, image.length - 40), contentType: 'image/png' }),
      wrong_content_type: () => ({ body: image, contentType: 'text/html' }),
      lying_content_type: () => ({ body: '<html><body>Service temporarily unavailable</body></html>', contentType: 'image/png' }),
      empty_200: () => ({ body: '', contentType: 'image/png' }),
      redirect: () => ({ redirectTo: `/ok?prompt=${encodeURIComponent(prompt)}` }),
    };
    return replies[fault]();
  };
}
