import {
  catalogue,
  DEFAULT_MAX_PROMPT_LENGTH,
  defaultModels,
  type GenerateOptions,
  type InputImages,
  inputImagesProblem,
  INPUTS,
  inputJsonName,
  issueText,
  outputIssue,
  paramsIssue,
  promptProblem,
  takesInput,
} from '@imagegen/core';
import { inputImageList, unknownFieldText } from '@imagegen/core/internal';
import type { Context } from 'hono';
import type { z } from 'zod';
import { GatewayError, invalidRequest } from '../openai-error.js';
import { generationRequestSchema, MODEL_ALIASES } from '../schemas.js';

// Said when several images go to a model that takes one: which models take several.
const SEVERAL_IMAGES_HINT = `; ${catalogue
  .filter((entry) => (entry.imageInput?.maxImages ?? 1) > 1)
  .map((entry) => entry.alias)
  .join(', ')} take up to 4`;

// The rate-limit middleware keeps the body as bytes: they are decoded here, not asked of Hono
// as text (docs/performance-notes.md).
const utf8 = new TextDecoder();

// JSON only when it says so: a `text/plain` body is what a web page may send anywhere without
// asking first (no CORS preflight), so it is refused.
const JSON_TYPE = /^application\/([a-z.+-]*\+)?json\s*(;|$)/i;

async function readBody(context: Context): Promise<unknown> {
  if (!JSON_TYPE.test(context.req.header('content-type') ?? '')) {
    throw new GatewayError({
      status: 415,
      message: 'The request body must be JSON sent as content-type: application/json',
      type: 'invalid_request_error',
      code: 'unsupported_media_type',
    });
  }
  const text = utf8.decode(await context.req.arrayBuffer());
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('The request body must be JSON', null, 'invalid_json');
  }
}

// OpenAI's names of the output options: the core's words are said in them.
const OUTPUT_NAMES = { outputFormat: 'output_format', outputQuality: 'output_compression' } as const;

/** The 400 for a body the schema refuses: an unknown field named (with a "did you mean"), else the first issue. */
function schemaError(issues: readonly z.core.$ZodIssue[]): GatewayError {
  const issue = issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const known = Object.keys(generationRequestSchema.shape);
    const field = issue.keys[0]!;
    return invalidRequest(`Invalid request: ${unknownFieldText(field, known)}`, field, 'unknown_parameter');
  }
  const param = issue?.path.length ? issue.path.join('.') : null;
  return invalidRequest(`Invalid request: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}`, param);
}

/**
 * Validates the body and turns it into a model name and the core's options (the edits route
 * passes its input images along, checked here with the rest). Every problem is said in the
 * request's own field names.
 */
export function parseRequest(body: unknown, images: InputImages = {}) {
  const parsed = generationRequestSchema.safeParse(body);
  if (!parsed.success) throw schemaError(parsed.error.issues);
  // A stream carries the image itself: there is no URL to fetch later in OpenAI's events.
  const request = parsed.data.stream ? { ...parsed.data, response_format: 'b64_json' as const } : parsed.data;
  const model = MODEL_ALIASES[request.model];
  if (!model)
    throw invalidRequest(
      `Unknown model '${request.model}'; use one of ${Object.keys(MODEL_ALIASES).join(', ')}`,
      'model',
      'model_not_found',
    );
  const spec = defaultModels[model]!;
  // Checked here too, so that an asynchronous request is refused at once, not as a failed job.
  const promptIssue = promptProblem(request.prompt, spec.maxPromptLength ?? DEFAULT_MAX_PROMPT_LENGTH);
  if (promptIssue) throw invalidRequest(`Invalid prompt: ${promptIssue}`, 'prompt', 'invalid_prompt');
  const fields = request as Record<string, unknown>;
  const params: GenerateOptions = {};
  for (const input of INPUTS) {
    if (fields[input.jsonName] !== undefined) (params as Record<string, unknown>)[input.name] = fields[input.jsonName];
  }
  const warnings: string[] = [];
  // OpenAI's clients send a quality to any model: one without tiers takes "auto" and "standard"
  // (no preference) as they are, and says so of any other (as of a size it cannot draw).
  if (params.qualityTier !== undefined && !takesInput(spec, 'qualityTier')) {
    if (!['auto', 'standard'].includes(params.qualityTier))
      warnings.push(`quality ${params.qualityTier} is not supported by ${model}: it has no quality tiers`);
    delete params.qualityTier;
  }
  const sized = request.size !== undefined && request.size !== 'auto' && takesInput(spec, 'width');
  if (request.size !== undefined && request.size !== 'auto') {
    if (params.width !== undefined || params.height !== undefined) {
      const other = params.width === undefined ? 'height' : 'width';
      throw invalidRequest(`Invalid request: send size or ${other}, not both`, 'size', 'conflicting_parameters');
    }
    const [width, height] = request.size.split('x').map(Number) as [number, number];
    if (sized) Object.assign(params, { width, height });
    // OpenAI's clients send a size by habit: a model that draws one size makes its own, and says
    // so when another was asked for (as the AI SDK warns of a setting a model does not support).
    const native = catalogue.find((entry) => entry.alias === model)?.defaultSize;
    if (!sized && (width !== native?.width || height !== native?.height)) {
      const drawn = native ? `${native.width}x${native.height}` : 'its own size';
      warnings.push(`size ${request.size} is not supported by ${model}: it draws ${drawn}`);
    }
  }
  if (request.output_format) params.outputFormat = request.output_format;
  // OpenAI's output_compression is a quality (100: best); sharp's lowest quality is 1.
  if (request.output_compression !== undefined) params.outputQuality = Math.max(1, request.output_compression);
  const outputFault = outputIssue(params, true, OUTPUT_NAMES);
  if (outputFault) throw invalidRequest(`Invalid request: ${outputFault.message}`, OUTPUT_NAMES[outputFault.field], 'invalid_value');
  // The model's own ranges, checked here too: an asynchronous request is refused at once.
  const issue = paramsIssue(spec, params);
  if (issue) {
    const param = sized && (issue.name === 'width' || issue.name === 'height') ? 'size' : inputJsonName(issue.name);
    throw invalidRequest(`Invalid request: ${issueText(issue, inputJsonName)}`, param, 'invalid_value');
  }
  const imageIssue = inputImagesProblem(spec, images);
  if (imageIssue) {
    const hint = inputImageList(images.image).length > 1 && (spec.imageInput?.maxImages ?? 1) === 1 ? SEVERAL_IMAGES_HINT : '';
    throw invalidRequest(`Invalid request: ${imageIssue}${hint}`, imageIssue.startsWith('mask') ? 'mask' : 'image', 'invalid_image');
  }
  return { request, model, params, images, warnings };
}

/** A validated request: the model's name, the OpenAI fields and the core's parameters. */
export type ParsedGeneration = ReturnType<typeof parseRequest>;

/** Reads and validates the body of `POST /v1/images/generations`; throws a 400 GatewayError. */
export async function parseGeneration(context: Context): Promise<ParsedGeneration> {
  return parseRequest(await readBody(context));
}
