import { defaultModels } from '@imagegen/core';
import { z } from 'zod';

/** Model names the gateway accepts: the short names and the Workers AI names, as aliases. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(defaultModels).flatMap((model) => [
    [model.name, model.name],
    [model.workersAiName, model.name],
  ]),
);

/** `POST /v1/images/generations`: OpenAI's request shape; unknown OpenAI fields are ignored. */
export const generationRequestSchema = z
  .object({
    prompt: z.string().describe('What to draw; 1 to 2,048 characters.'),
    model: z
      .string()
      .default('flux')
      .describe(
        'A catalogue alias (flux, flux-2-dev, flux-2-klein-4b, flux-2-klein-9b, sdxl, sdxl-lightning, dreamshaper-8-lcm, phoenix, lucid-origin) or its Workers AI id; GET /v1/models lists them.',
      ),
    n: z.int().min(1).max(4).default(1).describe('How many images, 1 to 4.'),
    size: z
      .string()
      .regex(/^(\d{2,5}x\d{2,5}|auto)$/)
      .optional()
      .describe("WxH, e.g. 1024x1024; only for models that take a size, within the model's range."),
    response_format: z.enum(['url', 'b64_json']).default('url'),
    seed: z.int().min(0).max(4_294_967_295).optional().describe('Seed of the first image (the next ones add 1); random when absent.'),
    width: z.int().optional().describe("Image width in pixels, within the model's range (an alternative to size)."),
    height: z.int().optional().describe("Image height in pixels, within the model's range (an alternative to size)."),
    steps: z.int().optional().describe("Diffusion steps, within the model's range."),
    guidance: z.number().optional().describe("How closely to follow the prompt, within the model's range."),
    negative_prompt: z.string().optional().describe('What the image should not show (SDXL family, Phoenix).'),
    strength: z.number().optional().describe('How far to move from the input image, 0-1 (edits; image-to-image models).'),
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
    quality: z.string().optional().describe('Accepted and ignored: Workers AI models have no quality tiers (steps is the knob).'),
    style: z.string().optional().describe('Accepted and ignored (a DALL-E 3 field).'),
    background: z.string().optional().describe('Accepted and ignored: Workers AI models draw no transparent background.'),
    moderation: z.string().optional().describe('Accepted and ignored: Workers AI applies its own.'),
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
