import { type ImageCost, totalCost } from '@imagegen/core';
import { type BudgetGuard, holdAlongChain } from '../budgets/budget-guard.js';
import type { KeyEntry } from '../budgets/key-entries.js';
import { encodeBase64, inputImageList } from '@imagegen/core/internal';
import type { Context } from 'hono';
import { gatewayErrorFor } from '../error-mapping.js';
import { imagesAnswerJson } from '../images-json.js';
import { type WorkOutcome, workError } from '../queue/image-work.js';
import type { WorkQueue } from '../queue/work-queue.js';
import type { ImageStorage } from '../storage/image-storage.js';
import type { GatewayTelemetry } from '../telemetry.js';
import { GatewayError } from '../openai-error.js';
import { type GatewayEnv, promptForLog } from '../request-context.js';
import { parseGeneration, type ParsedGeneration } from './generation-request.js';

/** What the generations route needs from the app. */
export interface GenerationsDeps {
  queue: WorkQueue;
  maxWaiting: number;
  storage: ImageStorage;
  telemetry: GatewayTelemetry;
  publicUrl: (context: { req: { url: string } }) => string;
  /** Where keys with a budget (IMAGEGEN_KEYS_FILE) have their spend held and kept. */
  budgets?: BudgetGuard;
  /** IMAGEGEN_FALLBACKS: the models to try after a model, by its alias. */
  fallbacks?: ReadonlyMap<string, readonly string[]>;
}

/** 503 queue_full: the client may retry in 2 s. */
const busy = (message: string): GatewayError =>
  new GatewayError({ status: 503, message, type: 'server_error', code: 'queue_full', headers: { 'retry-after': '2' } });

/** Where a generation runs: the abort signal, the logger fields and the base of `url` answers. */
export interface GenerationContext {
  signal?: AbortSignal;
  reqId: string;
  logger: GatewayEnv['Variables']['logger'];
  publicBase: string;
  /** Who asked (the key's name for the rate limit and the cost metric). @default 'anonymous' */
  client?: string;
  /** The keys file's entry of the caller's key: the models it may use, its budget. */
  key?: KeyEntry;
}

/** The answer of a successful generation: OpenAI's body, the attempts and content type per image. */
export interface GenerationAnswer {
  body: { created: number; data: Array<{ url?: string; b64_json?: string; seed?: number; model?: string }> };
  /** The model that made each image. */
  models: string[];
  attempts: number[];
  contentTypes: string[];
  /** How each image's model was reached (`rest`, `ai-gateway`, ...), when the worker that made it says. */
  routes: Array<string | undefined>;
  /** What the images cost together: unknown as soon as one image's price is not published. */
  cost: ImageCost;
}

/**
 * Runs a validated generation: n images through the work queue (in process or shared), all or
 * nothing. Throws a GatewayError in OpenAI's shape for any failure (the synchronous route
 * answers it, the async API stores it).
 */
export async function runGeneration(deps: GenerationsDeps, asked: ParsedGeneration, run: GenerationContext): Promise<GenerationAnswer> {
  if (deps.queue.waiting + asked.request.n > deps.maxWaiting) {
    throw busy('The gateway is busy: too many generations are waiting, retry shortly');
  }
  // The key's models and budget, held before anything is sent; a cheaper model of the fallback chain when the first would pass the budget.
  const chosen = await holdAlongChain(deps.budgets, run.key, asked, deps.fallbacks?.get(asked.model) ?? []);
  const { settle, parsed } = chosen;
  const { request, model, params } = parsed;
  const fallbacks = chosen.rest.length > 0 ? { fallbacks: chosen.rest } : {};
  const { logger, reqId } = run;
  logger.info(
    { reqId, model, n: request.n, prompt: promptForLog(request.prompt), format: request.response_format },
    'generation requested',
  );
  const { image, mask } = parsed.images;
  const encoded =
    image === undefined
      ? {}
      : { images: { image: inputImageList(image).map(encodeBase64), ...(mask === undefined ? {} : { mask: encodeBase64(mask) }) } };
  const one = async (index: number): Promise<WorkOutcome> => {
    const seed = params.seed === undefined ? {} : { seed: (params.seed + index) % 4_294_967_296 };
    const started = performance.now();
    const submitted = deps.queue.submit(
      { model, prompt: request.prompt, params: { ...params, ...seed }, ...encoded, format: request.response_format, reqId, ...fallbacks },
      run.signal,
    );
    if (!submitted) throw busy('The gateway is busy, retry shortly');
    const outcome = await submitted;
    deps.telemetry.generation(model, outcome.ok ? 'ok' : outcome.error.code, (performance.now() - started) / 1000);
    if (outcome.ok && outcome.cached) deps.telemetry.cacheHit?.(model);
    if (outcome.ok && outcome.cost && !('unknown' in outcome.cost))
      deps.telemetry.cost?.(model, run.client ?? 'anonymous', outcome.cost.usd);
    return outcome;
  };
  let outcomes: WorkOutcome[] = [];
  try {
    outcomes = await Promise.all(Array.from({ length: request.n }, (_, index) => one(index)));
  } finally {
    // What was made was paid for, even when the request fails as a whole.
    await settle(outcomes.flatMap((outcome) => (outcome.ok ? [outcome.cost ?? { unknown: 'not reported' }] : [])));
  }
  const failure = outcomes.find((outcome) => !outcome.ok);
  if (failure && !failure.ok) {
    await deps.storage.discard(outcomes.flatMap((outcome) => (outcome.ok && outcome.name ? [outcome.name] : []))).catch(() => {});
    logger.warn(
      { reqId, model, code: failure.error.code, status: failure.error.status, attempts: failure.error.attempts },
      'generation failed',
    );
    throw gatewayErrorFor(workError(failure.error));
  }
  const data = outcomes.map((outcome) => {
    if (!outcome.ok) throw new Error('unreachable');
    // Not part of OpenAI's answer: each image's seed, which the openai client passes through.
    const seed = outcome.seed === undefined ? {} : { seed: outcome.seed };
    // Not OpenAI's either: the model that made an image when it is not the one asked for (a fallback).
    const by = outcome.model && outcome.model !== asked.model ? { model: outcome.model } : {};
    if (outcome.b64 !== undefined) return { b64_json: outcome.b64, ...seed, ...by };
    deps.storage.remember(outcome.name!);
    return { url: `${run.publicBase}/v1/images/${outcome.name!}`, ...seed, ...by };
  });
  return {
    body: { created: Math.floor(Date.now() / 1000), data },
    attempts: outcomes.map((outcome) => (outcome.ok ? outcome.attempts : 0)),
    models: outcomes.map((outcome) => (outcome.ok && outcome.model ? outcome.model : model)),
    contentTypes: outcomes.map((outcome) => (outcome.ok ? outcome.contentType : '')),
    routes: outcomes.map((outcome) => (outcome.ok ? outcome.route : undefined)),
    // A queue worker of an older release says no cost: unknown rather than zero.
    cost: totalCost(
      outcomes.map((outcome) => (outcome.ok && outcome.cost ? outcome.cost : { unknown: 'not reported by the worker that made it' })),
    ),
  };
}

/**
 * Runs a parsed request and answers it as OpenAI does: JSON, or with `stream: true` one
 * `eventType` event per image (generations and edits share this).
 */
export async function answerImages(
  context: Context<GatewayEnv>,
  deps: GenerationsDeps,
  parsed: ParsedGeneration,
  eventType: 'image_generation.completed' | 'image_edit.completed',
): Promise<Response> {
  const answer = await runGeneration(deps, parsed, {
    signal: context.req.raw.signal,
    reqId: context.get('requestId'),
    logger: context.get('logger'),
    publicBase: deps.publicUrl(context),
    client: context.get('client'),
    ...(context.get('keyEntry') ? { key: context.get('keyEntry') } : {}),
  });
  // Not part of OpenAI's answer: headers that clients who care can read (the demo shows them).
  context.header('x-imagegen-attempts', answer.attempts.join(','));
  context.header('x-imagegen-model', [...new Set(answer.models)].join(','));
  // Not OpenAI's: what the images cost by their models' published prices, in US dollars.
  context.header('x-imagegen-cost-usd', 'unknown' in answer.cost ? 'unknown' : String(Number(answer.cost.usd.toPrecision(6))));
  if (parsed.warnings.length > 0) context.header('x-imagegen-warning', parsed.warnings.join('; '));
  if (parsed.request.stream) {
    return context.body(completedEvents(answer, parsed.request.size, eventType), 200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
    });
  }
  return context.body(imagesAnswerJson(answer.body), 200, { 'content-type': 'application/json' });
}

/** `POST /v1/images/generations` in OpenAI's shape. */
export function generationsHandler(deps: GenerationsDeps) {
  return async (context: Context<GatewayEnv>) => answerImages(context, deps, await parseGeneration(context), 'image_generation.completed');
}

/**
 * The `text/event-stream` answer of `stream: true`: one `image_generation.completed` event per
 * image, as OpenAI sends them (the `openai` client yields each event's data). Workers AI does not
 * stream, so no `partial_image` event precedes it.
 */
function completedEvents(answer: GenerationAnswer, size: string | undefined, type: string): string {
  const created = answer.body.created;
  return answer.body.data
    .map((image, index) => {
      const format = (answer.contentTypes[index] ?? 'image/png').replace('image/', '');
      const fields = JSON.stringify({
        created_at: created,
        size: size ?? 'auto',
        quality: 'auto',
        background: 'auto',
        output_format: format,
        ...(image.seed === undefined ? {} : { seed: image.seed }),
      });
      const data = `{"type":"${type}","b64_json":"${image.b64_json ?? ''}",${fields.slice(1)}`;
      return `event: ${type}\ndata: ${data}\n\n`;
    })
    .join('');
}
