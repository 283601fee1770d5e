import { catalogue, chooseRoute, type InputImages, inputJsonName, type Settings } from '@imagegen/core';
import { decodeBase64, sniffImage, unknownFieldText } from '@imagegen/core/internal';
import { z } from 'zod';
import { GatewayError } from '../openai-error.js';
import { parseRequest, type ParsedGeneration } from '../routes/generation-request.js';
import { generationRequestSchema } from '../schemas.js';

// The fields of each tool: the gateway's names (its schema, derived from the catalogue), so an
// agent says `negative_prompt` here as an app says it to /v1/images/generations.
const GENERATE_FIELDS = [
  'prompt',
  'model',
  'seed',
  'width',
  'height',
  'steps',
  'guidance',
  'negative_prompt',
  'quality',
  'aspect_ratio',
  'output_format',
  'output_compression',
] as const;
const EDIT_FIELDS = [...GENERATE_FIELDS, 'strength', 'image', 'mask'] as const;

/** The model a tool uses when none is named: imagegen chose fast ones that every route serves. */
export const DEFAULT_MODELS = { generate_image: 'flux', edit_image: 'sd15-img2img' } as const;

const ALIASES = catalogue.map((entry) => entry.alias);
const pick = (fields: readonly string[]) =>
  Object.fromEntries(fields.filter((field) => field in generationRequestSchema.shape).map((field) => [field, true])) as Record<
    keyof typeof generationRequestSchema.shape,
    true
  >;

/** The JSON Schema of a tool's arguments: the gateway's fields, with each model's ranges left to `list_models`. */
function argumentsSchema(fields: readonly string[], tool: keyof typeof DEFAULT_MODELS): Record<string, unknown> {
  const schema = z.toJSONSchema(generationRequestSchema.pick(pick(fields)), { io: 'input' }) as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const properties = { ...schema.properties };
  properties.model = {
    type: 'string',
    enum: [...ALIASES, ...catalogue.map((entry) => entry.id)],
    default: DEFAULT_MODELS[tool],
    description: `A catalogue alias or its Workers AI id (default ${DEFAULT_MODELS[tool]}); list_models gives each one's inputs and ranges.`,
  };
  if (tool === 'edit_image') {
    properties.image = {
      type: 'string',
      description: 'The image to start from: base64 or a data URL (over stdio, also a path the server can read).',
    };
    properties.mask = {
      type: 'string',
      description: "Where to redraw (white), of the image's size: base64 or a data URL (over stdio, also a path).",
    };
  }
  return {
    type: 'object',
    properties,
    required: tool === 'edit_image' ? ['prompt', 'image'] : ['prompt'],
    additionalProperties: false,
  };
}

/** The three tools' arguments, as JSON Schemas. */
export const TOOL_SCHEMAS = {
  generate_image: argumentsSchema(GENERATE_FIELDS, 'generate_image'),
  edit_image: argumentsSchema(EDIT_FIELDS, 'edit_image'),
} as const;

/** Reads an image the server may read from a path (stdio), or undefined where none may be (HTTP). */
export type ImagePathReader = (path: string) => Promise<Uint8Array>;

/** A tool call that can't be made as asked, in words for the agent. */
export class ToolInputError extends Error {}

/** A tool's arguments checked (each field known, each value in the model's range) and made the gateway's parsed request. */
export async function parseToolCall(
  tool: keyof typeof DEFAULT_MODELS,
  args: Record<string, unknown>,
  readPath: ImagePathReader | undefined,
): Promise<ParsedGeneration> {
  const known: readonly string[] = tool === 'edit_image' ? EDIT_FIELDS : GENERATE_FIELDS;
  for (const field of Object.keys(args)) {
    if (!known.includes(field)) throw new ToolInputError(`${tool}: ${unknownFieldText(field, known)}`);
  }
  const { image, mask, ...fields } = args;
  const images: InputImages = {};
  if (tool === 'edit_image') {
    if (typeof image !== 'string' || image === '') throw new ToolInputError('edit_image: image is required (base64, a data URL or a path)');
    images.image = await imageArgument('image', image, readPath);
    if (mask !== undefined) {
      if (typeof mask !== 'string') throw new ToolInputError('edit_image: mask must be a string (base64, a data URL or a path)');
      images.mask = await imageArgument('mask', mask, readPath);
    }
  }
  try {
    return parseRequest({ model: DEFAULT_MODELS[tool], ...fields, response_format: 'url' }, images);
  } catch (error) {
    if (error instanceof GatewayError) throw new ToolInputError(`${tool}: ${error.message.replace(/^Invalid request: /, '')}`);
    throw error;
  }
}

/** An image argument's bytes: a data URL, base64 of an image, or (where a reader is given) a path. */
async function imageArgument(name: string, value: string, readPath: ImagePathReader | undefined): Promise<Uint8Array> {
  const base64 = value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value;
  const decoded = base64.length >= 16 ? decodeBase64(base64) : undefined;
  if (decoded && sniffImage(decoded)) return decoded;
  if (value.startsWith('data:'))
    throw new ToolInputError(`edit_image: ${name} is a data URL whose bytes are not a PNG, JPEG, WebP or GIF image`);
  // A remote client must never make the server read its own files.
  if (!readPath)
    throw new ToolInputError(`edit_image: ${name} must be base64 or a data URL of an image here (paths are read only over stdio)`);
  try {
    return await readPath(value);
  } catch (error) {
    throw new ToolInputError(`edit_image: ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/** `list_models`: each catalogue model with its inputs, ranges, images it takes, and the route it takes now. */
export function modelList(settings: Settings) {
  return catalogue.map((entry) => {
    const request = chooseRoute(entry, settings, 'a', {});
    return {
      model: entry.alias,
      id: entry.id,
      description: entry.description,
      route: 'route' in request ? request.route : null,
      ...('notConfigured' in request ? { notConfigured: request.notConfigured } : {}),
      defaultSize: `${entry.defaultSize.width}x${entry.defaultSize.height}`,
      ...(entry.sizes ? { sizes: entry.sizes } : {}),
      maxPromptLength: entry.maxPromptLength,
      inputs: entry.inputs.map((input) => ({
        name: inputJsonName(input.name),
        type: input.type,
        ...(input.min === undefined ? {} : { min: input.min }),
        ...(input.max === undefined ? {} : { max: input.max }),
        ...(input.default === undefined ? {} : { default: input.default }),
        ...(input.values ? { values: input.values } : {}),
      })),
      ...(entry.imageInput
        ? {
            takesImage: {
              required: entry.imageInput.required === true,
              mask: entry.imageInput.mask === true,
              maxImages: entry.imageInput.maxImages ?? 1,
            },
          }
        : {}),
    };
  });
}
