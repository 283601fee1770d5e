import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Ajv, type ValidateFunction } from 'ajv';
import { CLOUDFLARE_MODEL_FACTS, type ModelFacts } from './cloudflare-schemas.js';
import { makePng, TINY_JPEG } from './images.js';

/** One run request the emulation accepted or refused. */
export interface CheckedRequest {
  model: string;
  /** The input as received (multipart fields as text, files as `<file>`). */
  input: Record<string, unknown>;
  status: number;
  /** Why it was refused, in the schema validator's words. */
  problem?: string;
}

/** What the storage links of partner answers serve: the image, a 404, a page that is not an image, or more bytes than asked. */
export type PartnerFiles = 'image' | 'missing' | 'not-image' | { tooLarge: number };

/** A running schema-checked Workers AI REST API. */
export interface SchemaCheckedWorkersAi {
  /** What the partner models' image URLs (on this server, `/files/...`) answer; set it between calls. @default 'image' */
  partnerFiles: PartnerFiles;
  /** The requests for those URLs, with their headers (the API token must never be among them). */
  downloads: Array<{ url: string; authorization: string | undefined }>;
  /** `CLOUDFLARE_API_BASE_URL` for it. */
  baseUrl: string;
  /** The environment that sends imagegen's REST route to it. */
  env: Record<string, string>;
  requests: CheckedRequest[];
  close(): Promise<void>;
}

const RUN_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/run\/(.+)$/;
// The partner models' endpoint: `{ model, input }` in the body.
const MODEL_INPUT_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/run$/;
const PNG = makePng(8, 8, [10, 200, 90]);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const failure = (code: number, message: string) =>
  JSON.stringify({ success: false, errors: [{ code, message }], result: null, messages: [] });

/** The input of a run: a JSON object, or a multipart form's fields (files stand in as `<file>`). */
async function readInput(req: IncomingMessage, facts: ModelFacts): Promise<Record<string, unknown> | string> {
  const type = req.headers['content-type'] ?? '';
  const body = await readBody(req);
  if (facts.send === 'multipart') {
    if (!type.startsWith('multipart/form-data')) return 'this model takes multipart form data inputs';
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    return Object.fromEntries([...form.entries()].map(([name, value]) => [name, typeof value === 'string' ? value : '<file>']));
  }
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : 'the body is not a JSON object';
  } catch {
    return 'the body is not JSON';
  }
}

/**
 * A Workers AI REST API that holds every run to Cloudflare's published schema of its model
 * (`CLOUDFLARE_MODEL_FACTS`): an unknown model is 400 with code 5007; an input the schema
 * refuses (an unknown field where `additionalProperties` is false, a value out of range, an empty
 * `negative_prompt` where `minLength` is 1, a wrong type) is 400 with code 5006 and the
 * validator's words; anything else answers as the model does (base64 JSON in the envelope, or
 * the image bytes). Multipart fields are text, read by the schema's types as Cloudflare reads
 * them. The partner models take `{ model, input }` at `/ai/run` and answer the URL of their image
 * on this server (`partnerFiles` says what that URL serves). For tests that prove imagegen never
 * sends what a schema forbids.
 *
 * @example
 * const ai = await startSchemaCheckedWorkersAi();
 * const generator = createImageGenerator({ env: { ...ai.env, IMAGEGEN_OUTPUT_DIR: dir } });
 * // ... then expect(ai.requests.filter((r) => r.status !== 200)).toEqual([])
 */
export async function startSchemaCheckedWorkersAi(): Promise<SchemaCheckedWorkersAi> {
  const strict = new Ajv({ allErrors: false, strict: false });
  // Multipart fields arrive as text: Cloudflare reads them by the schema's types.
  const coercing = new Ajv({ allErrors: false, strict: false, coerceTypes: true });
  const validators = new Map<string, ValidateFunction>();
  const validator = (id: string, facts: ModelFacts): ValidateFunction => {
    let validate = validators.get(id);
    if (!validate) {
      validate = (facts.send === 'multipart' ? coercing : strict).compile(facts.schema);
      validators.set(id, validate);
    }
    return validate;
  };
  const requests: CheckedRequest[] = [];

  const refuse = (res: ServerResponse, request: CheckedRequest, code: number, message: string) => {
    requests.push(request);
    res.writeHead(400, { 'content-type': 'application/json' }).end(failure(code, message));
  };
  const problemOf = (validate: ValidateFunction): string => {
    const first = validate.errors?.[0];
    const extra = first?.params && 'additionalProperty' in first.params ? `: ${String(first.params.additionalProperty)}` : '';
    return `${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}${extra}`;
  };
  let files = 0;
  const emulation = { partnerFiles: 'image' as PartnerFiles, downloads: [] as SchemaCheckedWorkersAi['downloads'] };

  const serveFile = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    emulation.downloads.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const mode = emulation.partnerFiles;
    if (mode === 'missing') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    if (mode === 'not-image') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
    const image = typeof mode === 'object' ? Buffer.concat([PNG, Buffer.alloc(mode.tooLarge)]) : PNG;
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(image.length) }).end(image);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, origin: string) => {
    const path = req.url ?? '';
    if (req.method === 'GET' && path.startsWith('/files/')) return serveFile(req, res);
    if (req.method === 'POST' && MODEL_INPUT_PATH.test(path)) {
      const body = await readInput(req, { send: 'json' } as ModelFacts);
      const model = typeof body === 'object' && typeof body.model === 'string' ? body.model : '';
      const facts = CLOUDFLARE_MODEL_FACTS[model];
      const input =
        typeof body === 'object' && body.input && typeof body.input === 'object' ? (body.input as Record<string, unknown>) : undefined;
      if (!facts || facts.send !== 'model-input')
        return refuse(res, { model, input: {}, status: 400, problem: 'no such model' }, 5007, `No such model ${model}`);
      if (!input) return refuse(res, { model, input: {}, status: 400, problem: 'no input' }, 5006, 'the body needs { model, input }');
      const validate = validator(model, facts);
      if (!validate(structuredClone(input))) {
        const problem = problemOf(validate);
        return refuse(res, { model, input, status: 400, problem }, 5006, `Error: required properties at '${problem}'`);
      }
      requests.push({ model, input, status: 200 });
      const url = `${origin}/files/${++files}.${facts.answer.format === 'jpeg' ? 'jpeg' : 'png'}`;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ state: 'Completed', result: { image: url }, gatewayMetadata: { keySource: 'Unified' } }));
      return;
    }
    const model = decodeURIComponent(RUN_PATH.exec(path)?.[1] ?? '');
    const facts = CLOUDFLARE_MODEL_FACTS[model];
    if (req.method !== 'POST' || !facts || facts.send === 'model-input') {
      req.resume();
      return refuse(res, { model, input: {}, status: 400, problem: 'no such model' }, 5007, `No such model ${model} or task`);
    }
    const input = await readInput(req, facts);
    if (typeof input === 'string') return refuse(res, { model, input: {}, status: 400, problem: input }, 5006, input);
    const validate = validator(model, facts);
    if (!validate(structuredClone(input))) {
      const problem = problemOf(validate);
      return refuse(res, { model, input, status: 400, problem }, 5006, `Error: required properties at '${problem}'`);
    }
    requests.push({ model, input, status: 200 });
    const image = facts.answer.format === 'jpeg' ? TINY_JPEG : PNG;
    if (facts.answer.encoding === 'binary') {
      res.writeHead(200, { 'content-type': `image/${facts.answer.format}`, 'content-length': String(image.length) }).end(image);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ result: { image: Buffer.from(image).toString('base64') }, success: true, errors: [], messages: [] }));
  };

  let origin = '';
  const server: Server = createServer((req, res) => {
    handle(req, res, origin).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}/client/v4`;
  return Object.assign(emulation, {
    baseUrl,
    env: { CLOUDFLARE_ACCOUNT_ID: 'emulated', CLOUDFLARE_API_TOKEN: 'emulated-token', CLOUDFLARE_API_BASE_URL: baseUrl },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
