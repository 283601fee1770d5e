import { DEFAULT_MAX_PROMPT_LENGTH, defaultModels, type GenerateOptions, type GenerationResult, type ImageGenerator, MemoryStore, promptProblem } from '@imagegen/core';
import type { Context } from 'hono';
import { gatewayErrorFor } from '../error-mapping.js';
import type { GenerationQueue } from '../generation-queue.js';
import type { ImageRegistry } from '../image-registry.js';
import type { GatewayMetrics } from '../metrics.js';
import { GatewayError, invalidRequest } from '../openai-error.js';
import { type GatewayEnv, promptForLog } from '../request-context.js';
import { generationRequestSchema, MODEL_ALIASES } from '../schemas.js';

/** What the generations route needs from the app. */
export interface GenerationsDeps {
  generator: ImageGenerator;
  queue: GenerationQueue;
  maxWaiting: number;
  registry: ImageRegistry;
  metrics: GatewayMetrics;
  publicUrl: (context: Context) => string;
}

async function readBody(context: Context): Promise<unknown> {
  const text = await context.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('The request body must be JSON', null, 'invalid_json');
  }
}

/** Validates the body and turns it into a model name and the core's options. */
function parseRequest(body: unknown) {
  const parsed = generationRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.length ? issue.path.join('.') : null;
    throw invalidRequest(`Invalid request: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}`, param);
  }
  const request = parsed.data;
  // Checked here too, so that an asynchronous request is refused at once, not as a failed job.
  const promptIssue = promptProblem(request.prompt, DEFAULT_MAX_PROMPT_LENGTH);
  if (promptIssue) throw invalidRequest(`Invalid prompt: ${promptIssue}`, 'prompt', 'invalid_prompt');
  const model = MODEL_ALIASES[request.model];
  if (!model) throw invalidRequest(`Unknown model '${request.model}'; use one of ${Object.keys(MODEL_ALIASES).join(', ')}`, 'model', 'model_not_found');
  const params: GenerateOptions = {};
  if (request.size && request.size !== 'auto') {
    if (!defaultModels[model]?.params.includes('width')) throw invalidRequest(`size is not supported by ${model}`, 'size', 'unsupported_parameter');
    const [width, height] = request.size.split('x').map(Number);
    params.width = width;
    params.height = height;
  }
  return { request, model, params };
}

/** A validated request: the model's name, the OpenAI fields and the core's parameters. */
export type ParsedGeneration = ReturnType<typeof parseRequest>;

/** Reads and validates the body of `POST /v1/images/generations`; throws a 400 GatewayError. */
export async function parseGeneration(context: Context): Promise<ParsedGeneration> {
  return parseRequest(await readBody(context));
}

/** Where a generation runs: the abort signal, the logger fields and the base of `url` answers. */
export interface GenerationContext {
  signal?: AbortSignal;
  reqId: string;
  logger: GatewayEnv['Variables']['logger'];
  publicBase: string;
}

/** The answer of a successful generation: OpenAI's body and the attempts per image. */
export interface GenerationAnswer {
  body: { created: number; data: Array<{ url?: string; b64_json?: string }> };
  attempts: number[];
}

/**
 * Runs a validated generation: n images through the bounded queue, all or nothing. Throws a
 * GatewayError in OpenAI's shape for any failure (the synchronous route answers it, the async
 * API stores it).
 */
export async function runGeneration(deps: GenerationsDeps, parsed: ParsedGeneration, run: GenerationContext): Promise<GenerationAnswer> {
  const { request, model, params } = parsed;
  if (deps.queue.waiting + request.n > deps.maxWaiting) {
    throw new GatewayError(503, 'The gateway is busy: too many generations are waiting, retry shortly', 'server_error', 'queue_full', null, { 'retry-after': '2' });
  }
  const { logger, reqId } = run;
  logger.info({ reqId, model, n: request.n, prompt: promptForLog(request.prompt), format: request.response_format }, 'generation requested');
  const hooks = {
    onAttempt: () => deps.metrics.upstreamAttempts.inc({ model }),
    onRetry: () => deps.metrics.upstreamRetries.inc({ model }),
  };
  // b64_json images never touch the disk: they are kept in memory for this answer only.
  const memory = request.response_format === 'b64_json' ? new MemoryStore() : undefined;
  const one = (index: number): Promise<GenerationResult> => {
    const seed = request.seed === undefined ? {} : { seed: (request.seed + index) % 4_294_967_296 };
    const started = performance.now();
    const queued = deps.queue.run(async () => {
      const result = await deps.generator.generate(model, request.prompt, {
        ...params,
        ...seed,
        ...hooks,
        ...(memory ? { store: memory } : {}),
        ...(run.signal ? { signal: run.signal } : {}),
      });
      deps.metrics.generationSeconds.observe({ model, outcome: result.ok ? 'ok' : result.error.code }, (performance.now() - started) / 1000);
      return result;
    });
    if (!queued) throw new GatewayError(503, 'The gateway is busy, retry shortly', 'server_error', 'queue_full', null, { 'retry-after': '2' });
    return queued;
  };
  const results = await Promise.all(Array.from({ length: request.n }, (_, index) => one(index)));
  const failure = results.find((result) => !result.ok);
  if (failure && !failure.ok) {
    if (!memory) await deps.registry.discard(results.flatMap((result) => (result.ok ? [result.path] : [])));
    logger.warn({ reqId, model, code: failure.error.code, status: failure.error.status, attempts: failure.error.attempts }, 'generation failed');
    throw gatewayErrorFor(failure.error);
  }
  const data = results.map((result) => {
    if (!result.ok) throw new Error('unreachable');
    if (memory) return { b64_json: Buffer.from(memory.files.get(result.path)!).toString('base64') };
    return { url: `${run.publicBase}/v1/images/${deps.registry.add(result.path, result.contentType)}` };
  });
  return { body: { created: Math.floor(Date.now() / 1000), data }, attempts: results.map((result) => (result.ok ? result.attempts : 0)) };
}

/** `POST /v1/images/generations` in OpenAI's shape. */
export function generationsHandler(deps: GenerationsDeps) {
  return async (context: Context<GatewayEnv>) => {
    const parsed = await parseGeneration(context);
    const answer = await runGeneration(deps, parsed, {
      signal: context.req.raw.signal,
      reqId: context.get('requestId'),
      logger: context.get('logger'),
      publicBase: deps.publicUrl(context),
    });
    // Not part of OpenAI's answer: a header that clients who care can read (the demo shows it).
    context.header('x-imagegen-attempts', answer.attempts.join(','));
    return context.json(answer.body);
  };
}
