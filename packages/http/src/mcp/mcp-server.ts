import type { ImageCodec, Settings } from '@imagegen/core';
import { encodeBase64, imageSize } from '@imagegen/core/internal';
import { type CallToolResult, McpServer, type ServerContext } from '@modelcontextprotocol/server';
import type { ParsedGeneration } from '../routes/generation-request.js';
import { DEFAULT_MODELS, type ImagePathReader, modelList, parseToolCall, TOOL_SCHEMAS, ToolInputError } from './mcp-tools.js';

/** An image a tool made: its bytes, where it was saved, and what made it. */
export interface MadeImage {
  bytes: Uint8Array;
  contentType: string;
  /** A `file://` URI over stdio, the gateway's `url` over HTTP. */
  uri: string;
  /** Its file name. */
  name: string;
  location: { path: string } | { url: string };
  model: string;
  route: string;
  seed?: number;
}

/** What the MCP server runs on: a way to make images (the generator over stdio, the gateway's queue over HTTP). */
export interface McpImageMaker {
  /** Which routes are configured, for `list_models`. */
  settings: Settings;
  /** Reads input images named by paths; only over stdio (a remote client never names the server's files). */
  readPath?: ImagePathReader;
  /** Makes the preview of an image too large to show inline; without one, such an image is linked only. */
  codec?: ImageCodec;
  /** Makes one image; a failure throws an Error whose message the agent reads. */
  make(parsed: ParsedGeneration, progress: (message: string) => void, signal: AbortSignal): Promise<MadeImage>;
}

/**
 * Largest image sent inline, in bytes: as base64 it is a third larger, under the 1 MB that many
 * MCP clients refuse beyond. A larger one is shown as a JPEG preview.
 */
export const MAX_INLINE_IMAGE_BYTES = 700_000;
const HEARTBEAT_MS = 5_000;

const OUTPUT_SCHEMA = {
  type: 'object',
  properties: {
    path: { type: 'string', description: 'Where the image was saved (stdio).' },
    url: { type: 'string', description: 'Where the image is served (HTTP).' },
    model: { type: 'string' },
    seed: { type: 'integer', description: 'The seed sent: the same seed and inputs remake the image.' },
    route: { type: 'string', description: 'How the model was reached: rest, ai-gateway, worker, binding or local (the offline preview).' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    contentType: { type: 'string' },
    bytes: { type: 'integer' },
    preview: { type: 'boolean', description: 'True when the image block is a smaller JPEG preview, not the image itself.' },
  },
  required: ['model', 'route', 'contentType', 'bytes', 'preview'],
} as const;

// imagegen checks the arguments itself (the agent reads which field and which range), so the
// SDK is handed the JSON Schema to advertise and a validator that passes every value on.
const advertised = (schema: Record<string, unknown>) => ({
  '~standard': {
    version: 1 as const,
    vendor: 'imagegen',
    validate: (value: unknown) => ({ value: value as Record<string, unknown> }),
    jsonSchema: { input: () => schema, output: () => schema },
  },
});

const failed = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/**
 * The imagegen MCP server: tools `list_models`, `generate_image` and `edit_image` over a maker
 * (stdio: `imagegen mcp`; HTTP: `POST /mcp` on the gateway). Bad input is an `isError` result
 * naming the field and its range, never a protocol error.
 *
 * @example
 * const server = createImagegenMcpServer(maker, '0.1.0');
 * await server.connect(new StdioServerTransport());
 */
export function createImagegenMcpServer(maker: McpImageMaker, version: string): McpServer {
  const server = new McpServer({ name: 'imagegen', version });
  server.registerTool(
    'list_models',
    {
      title: 'List image models',
      description:
        'Every Workers AI image model imagegen has: its inputs with their ranges, the images it takes, and the route it takes now.',
      inputSchema: advertised({ type: 'object', properties: {}, additionalProperties: false }),
      annotations: { readOnlyHint: true },
    },
    () => {
      const models = modelList(maker.settings);
      return { content: [{ type: 'text', text: JSON.stringify(models, null, 2) }], structuredContent: { models } };
    },
  );
  for (const tool of ['generate_image', 'edit_image'] as const) {
    server.registerTool(
      tool,
      {
        title: tool === 'generate_image' ? 'Generate an image' : 'Edit an image',
        description:
          tool === 'generate_image'
            ? `Makes an image from a prompt with a Workers AI model (default ${DEFAULT_MODELS[tool]}) and saves it; list_models gives each model's inputs.`
            : `Redraws an image (and, with a mask, only its white part) from a prompt with an image-to-image model (default ${DEFAULT_MODELS[tool]}).`,
        inputSchema: advertised(TOOL_SCHEMAS[tool]),
        outputSchema: advertised(OUTPUT_SCHEMA),
        annotations: { readOnlyHint: false, openWorldHint: true },
      },
      (args, context) => runTool(maker, tool, args, context),
    );
  }
  return server;
}

async function runTool(
  maker: McpImageMaker,
  tool: keyof typeof DEFAULT_MODELS,
  args: unknown,
  context: ServerContext,
): Promise<CallToolResult> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return failed(`${tool}: the arguments must be an object`);
  let parsed: ParsedGeneration;
  try {
    parsed = await parseToolCall(tool, args as Record<string, unknown>, maker.readPath);
  } catch (error) {
    if (error instanceof ToolInputError) return failed(error.message);
    throw error;
  }
  const progress = progressOf(context);
  progress(`sending to ${parsed.model}`);
  const started = Date.now();
  const heartbeat = setInterval(
    () => progress(`waiting on ${parsed.model} (${Math.round((Date.now() - started) / 1000)} s)`),
    HEARTBEAT_MS,
  );
  (heartbeat as { unref?: () => void }).unref?.();
  let made: MadeImage;
  try {
    made = await maker.make(parsed, progress, context.mcpReq.signal);
  } catch (error) {
    return failed(`${tool}: ${(error as Error).message}`);
  } finally {
    clearInterval(heartbeat);
  }
  // No progress right before the result: the MCP SDK's client handles a response at once but a
  // notification a microtask later, so one that arrives with the response finds its handler gone and
  // is reported as an error (modelcontextprotocol/typescript-sdk#2580). The result says it is saved.
  return imageResult(made, maker.codec);
}

/** Progress notifications for a call whose client sent a progress token; nothing otherwise. */
function progressOf(context: ServerContext): (message: string) => void {
  const token = context.mcpReq._meta?.progressToken;
  if (token === undefined) return () => {};
  let step = 0;
  return (message) => {
    step += 1;
    void context.mcpReq
      .notify({ method: 'notifications/progress', params: { progressToken: token, progress: step, message } })
      .catch(() => {});
  };
}

/** The result of a made image: a link to it, the image (or a preview under 1 MB), and its facts. */
async function imageResult(made: MadeImage, codec: ImageCodec | undefined): Promise<CallToolResult> {
  const size = imageSize(made.bytes);
  const inline = made.bytes.byteLength <= MAX_INLINE_IMAGE_BYTES ? made.bytes : await previewOf(made.bytes, codec);
  const preview = inline !== made.bytes;
  const where = 'path' in made.location ? made.location.path : made.location.url;
  const facts = `${size ? `a ${size.width}x${size.height} ` : 'an '}${made.contentType} image with ${made.model}${made.seed === undefined ? '' : ` (seed ${made.seed})`}, route ${made.route}`;
  const shown = preview
    ? inline
      ? ` It is ${made.bytes.byteLength} bytes: the image below is a smaller JPEG preview; the link is the full image.`
      : ` It is ${made.bytes.byteLength} bytes, too large to show here: open the link.`
    : '';
  return {
    content: [
      { type: 'text', text: `Made ${facts}: ${where}.${shown}` },
      { type: 'resource_link', uri: made.uri, name: made.name, mimeType: made.contentType, description: `The image ${made.model} made` },
      ...(inline ? [{ type: 'image' as const, data: encodeBase64(inline), mimeType: preview ? 'image/jpeg' : made.contentType }] : []),
    ],
    structuredContent: {
      ...made.location,
      model: made.model,
      ...(made.seed === undefined ? {} : { seed: made.seed }),
      route: made.route,
      ...(size ? { width: size.width, height: size.height } : {}),
      contentType: made.contentType,
      bytes: made.bytes.byteLength,
      preview,
    },
  };
}

/** A JPEG of the image small enough to send inline, or undefined without a codec. */
async function previewOf(bytes: Uint8Array, codec: ImageCodec | undefined): Promise<Uint8Array | undefined> {
  if (!codec) return undefined;
  for (const side of [1024, 512, 256]) {
    const jpeg = await codec.convert(await codec.fit(bytes, side), 'jpeg', 80);
    if (jpeg.byteLength <= MAX_INLINE_IMAGE_BYTES) return jpeg;
  }
  return undefined;
}
