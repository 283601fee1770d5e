import {
  catalogue,
  DEFAULT_MAX_PROMPT_LENGTH,
  defaultModels,
  encodeBase64,
  type GenerateOptions,
  inputImageList,
  type InputImages,
  inputImagesProblem,
  outputProblem,
  paramsIssue,
  promptProblem,
  takesInput,
} from '@imagegen/core';
import type { Context } from 'hono';
import { gatewayErrorFor } from '../error-mapping.js';
import { imagesAnswerJson } from '../images-json.js';
import { type WorkOutcome, workError } from '../queue/image-work.js';
import type { WorkQueue } from '../queue/work-queue.js';
import type { ImageStorage } from '../storage/image-storage.js';
import type { GatewayTelemetry } from '../telemetry.js';
import { GatewayError, invalidRequest } from '../openai-error.js';
import { type GatewayEnv, promptForLog } from '../request-context.js';
import { generationRequestSchema, MODEL_ALIASES } from '../schemas.js';

/** What the generations route needs from the app. */
export interface GenerationsDeps {
  queue: WorkQueue;
  maxWaiting: number;
  storage: ImageStorage;
  telemetry: GatewayTelemetry;
  publicUrl: (context: Context) => string;
}

// Said when several images go to a model that takes one: which models take several.
const SEVERAL_IMAGES_HINT = `; ${catalogue
  .filter((entry) => (entry.imageInput?.maxImages ?? 1) > 1)
  .map((entry) => entry.alias)
  .join(', ')} take up to 4`;

/** 503 queue_full: the client may retry in 2 s. */
const busy = (message: string): GatewayError =>
  new GatewayError({ status: 503, message, type: 'server_error', code: 'queue_full', headers: { 'retry-after': '2' } });

// The rate-limit middleware keeps the body as bytes: asking Hono for text would build a whole
// WHATWG Response around them to decode it (3% of the gateway's CPU in an autocannon profile).
const utf8 = new TextDecoder();

async function readBody(context: Context): Promise<unknown> {
  const text = utf8.decode(await context.req.arrayBuffer());
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('The request body must be JSON', null, 'invalid_json');
  }
}

/**
 * Validates the body and turns it into a model name and the core's options (the edits route
 * passes its input images along, checked here with the rest).
 */
export function parseRequest(body: unknown, images: InputImages = {}) {
  const parsed = generationRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.length ? issue.path.join('.') : null;
    throw invalidRequest(`Invalid request: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}`, param);
  }
  // A stream carries the image itself: there is no URL to fetch later in OpenAI's events.
  const request = parsed.data.stream ? { ...parsed.data, response_format: 'b64_json' as const } : parsed.data;
  // Checked here too, so that an asynchronous request is refused at once, not as a failed job.
  const promptIssue = promptProblem(request.prompt, DEFAULT_MAX_PROMPT_LENGTH);
  if (promptIssue) throw invalidRequest(`Invalid prompt: ${promptIssue}`, 'prompt', 'invalid_prompt');
  const model = MODEL_ALIASES[request.model];
  if (!model)
    throw invalidRequest(
      `Unknown model '${request.model}'; use one of ${Object.keys(MODEL_ALIASES).join(', ')}`,
      'model',
      'model_not_found',
    );
  const spec = defaultModels[model]!;
  const params: GenerateOptions = {
    ...(request.width === undefined ? {} : { width: request.width }),
    ...(request.height === undefined ? {} : { height: request.height }),
    ...(request.steps === undefined ? {} : { steps: request.steps }),
    ...(request.guidance === undefined ? {} : { guidance: request.guidance }),
    ...(request.negative_prompt === undefined ? {} : { negativePrompt: request.negative_prompt }),
    ...(request.strength === undefined ? {} : { strength: request.strength }),
  };
  if (request.size && request.size !== 'auto') {
    if (!takesInput(spec, 'width')) throw invalidRequest(`size is not supported by ${model}`, 'size', 'unsupported_parameter');
    const [width, height] = request.size.split('x').map(Number);
    params.width = width;
    params.height = height;
  }
  if (request.output_format) params.outputFormat = request.output_format;
  // OpenAI's output_compression is a quality (100: best); sharp's lowest quality is 1.
  if (request.output_compression !== undefined) params.outputQuality = Math.max(1, request.output_compression);
  const outputIssue = outputProblem(params);
  if (outputIssue) {
    const param = outputIssue.startsWith('outputQuality') ? 'output_compression' : 'output_format';
    const message = outputIssue.replace('outputQuality', 'output_compression').replace('outputFormat', 'output_format');
    throw invalidRequest(`Invalid request: ${message}`, param, 'invalid_value');
  }
  // The model's own ranges, checked here too: an asynchronous request is refused at once.
  const issue = paramsIssue(spec, { ...params, ...(request.seed === undefined ? {} : { seed: request.seed }) });
  if (issue) {
    const sized = request.size && request.size !== 'auto' && (issue.name === 'width' || issue.name === 'height');
    const param = sized ? 'size' : issue.name === 'negativePrompt' ? 'negative_prompt' : issue.name;
    throw invalidRequest(`Invalid request: ${issue.message}`, param, 'invalid_value');
  }
  const imageIssue = inputImagesProblem(spec, images);
  if (imageIssue) {
    const hint = inputImageList(images.image).length > 1 && (spec.imageInput?.maxImages ?? 1) === 1 ? SEVERAL_IMAGES_HINT : '';
    throw invalidRequest(`Invalid request: ${imageIssue}${hint}`, imageIssue.startsWith('mask') ? 'mask' : 'image', 'invalid_image');
  }
  return { request, model, params, images };
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

/** The answer of a successful generation: OpenAI's body, the attempts and content type per image. */
export interface GenerationAnswer {
  body: { created: number; data: Array<{ url?: string; b64_json?: string; seed?: number }> };
  attempts: number[];
  contentTypes: string[];
}

/**
 * Runs a validated generation: n images through the work queue (in process or shared), all or
 * nothing. Throws a GatewayError in OpenAI's shape for any failure (the synchronous route
 * answers it, the async API stores it).
 */
export async function runGeneration(deps: GenerationsDeps, parsed: ParsedGeneration, run: GenerationContext): Promise<GenerationAnswer> {
  const { request, model, params } = parsed;
  if (deps.queue.waiting + request.n > deps.maxWaiting) {
    throw busy('The gateway is busy: too many generations are waiting, retry shortly');
  }
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
    const seed = request.seed === undefined ? {} : { seed: (request.seed + index) % 4_294_967_296 };
    const started = performance.now();
    const submitted = deps.queue.submit(
      { model, prompt: request.prompt, params: { ...params, ...seed }, ...encoded, format: request.response_format, reqId },
      run.signal,
    );
    if (!submitted) throw busy('The gateway is busy, retry shortly');
    const outcome = await submitted;
    deps.telemetry.generation(model, outcome.ok ? 'ok' : outcome.error.code, (performance.now() - started) / 1000);
    if (outcome.ok && outcome.cached) deps.telemetry.cacheHit?.(model);
    return outcome;
  };
  const outcomes = await Promise.all(Array.from({ length: request.n }, (_, index) => one(index)));
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
    if (outcome.b64 !== undefined) return { b64_json: outcome.b64, ...seed };
    deps.storage.remember(outcome.name!);
    return { url: `${run.publicBase}/v1/images/${outcome.name!}`, ...seed };
  });
  return {
    body: { created: Math.floor(Date.now() / 1000), data },
    attempts: outcomes.map((outcome) => (outcome.ok ? outcome.attempts : 0)),
    contentTypes: outcomes.map((outcome) => (outcome.ok ? outcome.contentType : '')),
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
  });
  // Not part of OpenAI's answer: a header that clients who care can read (the demo shows it).
  context.header('x-imagegen-attempts', answer.attempts.join(','));
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
