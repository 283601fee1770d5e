import { z } from 'zod';
import { errorSchema, generationRequestSchema, generationResponseSchema, jobSchema, modelListSchema } from './schemas.js';

const schema = (value: z.ZodType): object => z.toJSONSchema(value, { io: 'input', unrepresentable: 'any' });
const json = (ref: z.ZodType) => ({ content: { 'application/json': { schema: schema(ref) } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: 'Error', ...json(errorSchema) }]));

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
          summary: 'Create images from an input image and a prompt (image to image, inpainting)',
          description:
            'multipart/form-data as OpenAI: `image` (one PNG, JPEG or WebP file; `image[]` accepted), optional `mask` of its size, `prompt`, `model` (default sd15-img2img: a model that takes an input image), `n`, `size`, `response_format`, `stream` (events `image_edit.completed`), and the model inputs (`strength`, `steps`, `guidance`, `negative_prompt`, `seed`). Body limit 25 MiB (413 past it).',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['image', 'prompt'],
                  properties: {
                    image: { type: 'string', format: 'binary' },
                    mask: { type: 'string', format: 'binary' },
                    prompt: { type: 'string' },
                    model: { type: 'string', default: 'sd15-img2img' },
                    n: { type: 'integer', minimum: 1, maximum: 4 },
                    size: { type: 'string' },
                    response_format: { type: 'string', enum: ['url', 'b64_json'] },
                    stream: { type: 'boolean' },
                    strength: { type: 'number', minimum: 0, maximum: 1 },
                    seed: { type: 'integer' },
                  },
                },
              },
            },
          },
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
