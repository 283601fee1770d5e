import { createServer, type IncomingMessage, type Server } from 'node:http';
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

/** A running schema-checked Workers AI REST API. */
export interface SchemaCheckedWorkersAi {
  /** `CLOUDFLARE_API_BASE_URL` for it. */
  baseUrl: string;
  /** The environment that sends imagegen's REST route to it. */
  env: Record<string, string>;
  requests: CheckedRequest[];
  close(): Promise<void>;
}

const RUN_PATH = /^\/client\/v4\/accounts\/[^/]+\/ai\/run\/(.+)$/;
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
 * them. For tests that prove imagegen never sends what a schema forbids.
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

  const server: Server = createServer((req, res) => {
    void (async () => {
      const model = decodeURIComponent(RUN_PATH.exec(req.url ?? '')?.[1] ?? '');
      const facts = CLOUDFLARE_MODEL_FACTS[model];
      if (req.method !== 'POST' || !facts) {
        req.resume();
        requests.push({ model, input: {}, status: 400, problem: 'no such model' });
        res.writeHead(400, { 'content-type': 'application/json' }).end(failure(5007, `No such model ${model} or task`));
        return;
      }
      const input = await readInput(req, facts);
      if (typeof input === 'string') {
        requests.push({ model, input: {}, status: 400, problem: input });
        res.writeHead(400, { 'content-type': 'application/json' }).end(failure(5006, input));
        return;
      }
      const validate = validator(model, facts);
      const checked = structuredClone(input);
      if (!validate(checked)) {
        const first = validate.errors?.[0];
        const problem = `${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}${first?.params && 'additionalProperty' in first.params ? `: ${String(first.params.additionalProperty)}` : ''}`;
        requests.push({ model, input, status: 400, problem });
        res.writeHead(400, { 'content-type': 'application/json' }).end(failure(5006, `Error: required properties at '${problem}'`));
        return;
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
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}/client/v4`;
  return {
    baseUrl,
    env: { CLOUDFLARE_ACCOUNT_ID: 'emulated', CLOUDFLARE_API_TOKEN: 'emulated-token', CLOUDFLARE_API_BASE_URL: baseUrl },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
