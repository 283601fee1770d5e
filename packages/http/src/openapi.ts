import { z } from 'zod';
import { errorSchema, generationRequestSchema, generationResponseSchema, jobSchema, modelListSchema } from './schemas.js';

const schema = (value: z.ZodType): object => z.toJSONSchema(value, { io: 'input', unrepresentable: 'any' });
const json = (ref: z.ZodType) => ({ content: { 'application/json': { schema: schema(ref) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: 'Error', ...json(errorSchema) }]));

/** The edits form: the generations fields (as form fields), plus the image files and the mask. */
function editSchema(): object {
  // The schema has an id: its JSON Schema is a $ref into $defs.
  const generated = schema(generationRequestSchema) as { $defs?: Record<string, { properties: Record<string, object> }> };
  const base = generated.$defs?.ImageGenerationRequest ?? (generated as unknown as { properties: Record<string, object> });
  const file = { type: 'string', format: 'binary' };
  return {
    type: 'object',
    required: ['image', 'prompt'],
    properties: {
      ...base.properties,
      model: {
        type: 'string',
        default: 'sd15-img2img',
        description: 'A model that takes an input image (GET /v1/models; imagegen models).',
      },
      response_format: {
        type: 'string',
        enum: ['url', 'b64_json'],
        default: 'b64_json',
        description: "As OpenAI's edits: base64 unless url is asked for.",
      },
      image: { oneOf: [file, { type: 'array', items: file, maxItems: 4 }], description: 'The input image, or up to 4 (FLUX.2).' },
      'image[]': { type: 'array', items: file, maxItems: 4, description: 'Several input images, as the openai client sends them.' },
      mask: { ...file, description: 'Where to redraw (white), of the image size (sd15-inpainting, the SDXL family).' },
    },
  };
}

/**
 * The OpenAPI 3.1 document of the gateway, generated from the very zod schemas that validate
 * its requests, so the two cannot drift apart.
 */
export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'imagegen gateway', version, description: 'OpenAI-compatible image generation over every Workers AI image model.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/v1/images/generations': {
        post: {
          summary: 'Create images from a prompt',
          description: 'With `Prefer: respond-async` the answer is 202 with a job and its Location instead.',
          parameters: [{ name: 'Prefer', in: 'header', required: false, schema: { type: 'string', example: 'respond-async' } }],
          requestBody: { required: true, ...json(generationRequestSchema) },
          responses: {
            '200': { description: 'The images', ...json(generationResponseSchema) },
            '202': {
              description: 'The job, when asked for an asynchronous answer',
              headers: { Location: { schema: { type: 'string' } } },
              ...json(jobSchema),
            },
            ...errors(400, 401, 413, 429, 502, 503, 504),
          },
        },
      },
      '/v1/images/edits': {
        post: {
          summary: 'Create images from input images and a prompt (image to image, inpainting, FLUX.2 references)',
          description:
            'multipart/form-data as OpenAI: `image` (a PNG, JPEG or WebP file; several as `image[]`, up to 4 for the FLUX.2 models, each shrunk to 512x512), optional `mask` of its size, `prompt`, `model` (default sd15-img2img), and every field of generations (`output_format` converts, `stream` sends `image_edit.completed`). Each file part is sniffed; body limit 25 MiB (413 past it).',
          requestBody: { required: true, content: { 'multipart/form-data': { schema: editSchema() } } },
          responses: {
            '200': { description: 'The images', ...json(generationResponseSchema) },
            ...errors(400, 401, 413, 429, 502, 503, 504),
          },
        },
      },
      '/v1/images/variations': {
        post: { summary: 'Not supported: answers 400 pointing at /v1/images/edits', responses: errors(400) },
      },
      '/v1/jobs/{id}': {
        get: {
          summary: 'An asynchronous generation: its state, then its result or error',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The job', ...json(jobSchema) }, ...errors(401, 404) },
        },
      },
      '/v1/images/{file}': {
        get: {
          summary: 'An image made with response_format url',
          security: [],
          parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The image bytes' }, ...errors(404) },
        },
      },
      '/v1/models': {
        get: { summary: 'The models', responses: { '200': { description: 'Models', ...json(modelListSchema) }, ...errors(401) } },
      },
      '/healthz': { get: { summary: 'Process up', security: [], responses: { '200': { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'Workers configured and reachable',
          security: [],
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'text/plain metrics' } } } },
    },
  };
}
