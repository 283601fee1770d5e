import { catalogue, defaultModels, INPUTS } from '@imagegen/core';
import { z } from 'zod';

/** Model names the gateway accepts: the short names and the Workers AI names, as aliases. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(defaultModels).flatMap((model) => [
    [model.name, model.name],
    [model.workersAiName, model.name],
  ]),
);

// What a field says beyond the catalogue's words (OpenAI's clients send `quality` to any model).
const NOTES: Partial<Record<string, string>> = {
  quality: ' Models without tiers take auto and standard (no preference) and answer others with an x-imagegen-warning.',
};

// The model inputs, as the catalogue declares them: one field each, named as in JSON.
const inputFields = Object.fromEntries(
  INPUTS.map((input) => {
    const type = input.type === 'string' ? z.string() : input.type === 'integer' ? z.int() : z.number();
    const said = `${input.description[0]!.toUpperCase()}${input.description.slice(1)}.${NOTES[input.jsonName] ?? ''}`;
    return [input.jsonName, type.optional().describe(said)];
  }),
) as Record<string, z.ZodOptional<z.ZodString | z.ZodNumber>>;

/**
 * `POST /v1/images/generations`: OpenAI's request shape, the model inputs of the catalogue, and
 * OpenAI's fields that Workers AI has no use for (accepted, said so). Any other field is refused.
 */
export const generationRequestSchema = z
  .strictObject({
    prompt: z.string().describe("What to draw; 1 to 2,048 characters (the model's limit)."),
    model: z
      .string()
      .default('flux')
      .describe(`A catalogue alias (${catalogue.map((entry) => entry.alias).join(', ')}) or its Workers AI id; GET /v1/models lists them.`),
    n: z.int().min(1).max(4).default(1).describe('How many images, 1 to 4.'),
    size: z
      .string()
      .regex(/^(\d{2,5}x\d{2,5}|auto)$/)
      .optional()
      .describe("WxH, e.g. 1024x1024; only for models that take a size, within the model's range; not with width or height."),
    response_format: z.enum(['url', 'b64_json']).default('url'),
    ...inputFields,
    stream: z
      .boolean()
      .optional()
      .describe(
        'true: answer text/event-stream, one image_generation.completed event per image (b64_json); Workers AI sends no partial images.',
      ),
    partial_images: z.int().min(0).max(3).optional().describe('Accepted; no partial image is sent (Workers AI does not stream).'),
    output_format: z
      .enum(['png', 'jpeg', 'webp'])
      .optional()
      .describe("The image's format; converted when the model answers another (flux, lucid-origin, phoenix: jpeg; the others: png)."),
    output_compression: z
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe('JPEG or WebP quality, 0-100 (100: best); only with output_format jpeg or webp.'),
    style: z.string().optional().describe('Accepted and ignored (a DALL-E 3 field).'),
    background: z.string().optional().describe('Accepted and ignored: Workers AI models draw no transparent background.'),
    moderation: z.string().optional().describe('Accepted and ignored: Workers AI applies its own.'),
    input_fidelity: z.string().optional().describe('Accepted and ignored (an edits field of gpt-image models).'),
    user: z.string().max(256).optional().describe('Accepted and ignored (logged nowhere).'),
  })
  .meta({ id: 'ImageGenerationRequest' });

export type GenerationRequest = z.infer<typeof generationRequestSchema>;

/** One generated image. */
export const imageSchema = z
  .object({
    url: z.string().optional(),
    b64_json: z.string().optional(),
    revised_prompt: z.string().optional(),
    seed: z.int().optional().describe("imagegen's extra field: the seed this image was made with (the same seed remakes it)."),
  })
  .meta({ id: 'Image' });

/** The answer of `POST /v1/images/generations`. */
export const generationResponseSchema = z.object({ created: z.int(), data: z.array(imageSchema) }).meta({ id: 'ImagesResponse' });

/** OpenAI's error shape. */
export const errorSchema = z
  .object({
    error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
  })
  .meta({ id: 'Error' });

/** `GET /v1/models`. */
export const modelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(z.object({ id: z.string(), object: z.literal('model'), created: z.int(), owned_by: z.string() })),
  })
  .meta({ id: 'ModelList' });

/** An asynchronous generation, as `GET /v1/jobs/{id}` answers it. */
export const jobSchema = z
  .object({
    id: z.string(),
    object: z.literal('image.generation.job'),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    created: z.int(),
    result: generationResponseSchema.optional(),
    error: z
      .object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable(), status: z.int() })
      .optional(),
  })
  .meta({ id: 'Job' });
