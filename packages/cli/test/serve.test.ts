import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGate, startTestWorker, type TestWorker, TINY_PNG } from '@imagegen/testkit';
import { Client } from '@modelcontextprotocol/client';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCli } from './support/run-cli.js';

let worker: TestWorker;
let cwd: string;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(() => worker.close());
beforeEach(async () => {
  worker.reset();
  cwd = await mkdtemp(join(tmpdir(), 'imagegen-serve-'));
  return () => rm(cwd, { recursive: true, force: true });
});

/** Starts `imagegen serve --port 0` and waits for the URL it prints. */
async function startServe(env: Record<string, string> = {}) {
  const cli = startCli(['serve', '--port', '0'], { cwd, env: { IMAGEGEN_LOG_LEVEL: 'warn', ...env } });
  let url = '';
  await vi.waitFor(
    () => {
      const match = /gateway listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.output().stderr);
      if (!match) throw new Error(`not yet listening: ${cli.output().stderr}`);
      url = match[1]!;
    },
    { timeout: 15_000, interval: 50 },
  );
  return { cli, url };
}

const generate = (url: string, body: object) =>
  fetch(`${url}/v1/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('imagegen serve', () => {
  it('with no configuration is ready (the local preview serves), and /readyz says by which route', async () => {
    const { cli, url } = await startServe();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { routes: Record<string, { ready: boolean }> }).routes).toMatchObject({ local: { ready: true } });
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it('serves MCP at /mcp with a key, offline: generate_image links a served image, width 99999 is an isError; 401 without the key', async () => {
    const key = 'mcp-serve-key-0123456789';
    const { cli, url } = await startServe({ IMAGEGEN_GATEWAY_KEYS: key });
    const refused = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
    );
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['list_models', 'generate_image', 'edit_image']);
    const made = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'a red fox' } })) as {
      content: Array<{ type: string; uri?: string }>;
    };
    const link = made.content.find((block) => block.type === 'resource_link')!;
    expect((await fetch(link.uri!)).status).toBe(200);
    const wide = (await client.callTool({ name: 'generate_image', arguments: { prompt: 'a fox', model: 'sdxl', width: 99999 } })) as {
      isError?: boolean;
      content: Array<{ text?: string }>;
    };
    expect(wide.isError).toBe(true);
    expect(wide.content[0]!.text).toBe('generate_image: width must be an integer from 256 to 2048 for sdxl');
    await client.close();
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it('IMAGEGEN_GATEWAY_KEYS in .env protects the gateway', async () => {
    await writeFile(join(cwd, '.env'), 'IMAGEGEN_GATEWAY_KEYS=dotenv-gateway-key-0123456789\n');
    const { cli, url } = await startServe();
    expect((await generate(url, { prompt: 'a red fox' })).status).toBe(401);
    const allowed = await fetch(`${url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer dotenv-gateway-key-0123456789' },
      body: JSON.stringify({ prompt: 'a red fox', response_format: 'b64_json' }),
    });
    expect(allowed.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it('with no configuration serves images from the local workers', async () => {
    const { cli, url } = await startServe();
    expect(cli.output().stderr).toContain('using the local preview workers');
    const response = await generate(url, { prompt: 'a red fox', response_format: 'b64_json' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ b64_json: string }> };
    expect(Buffer.from(body.data[0]!.b64_json, 'base64').subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    cli.child.kill('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });

  it('SIGTERM during an in-flight generation: the request still completes, then the process exits 0', async () => {
    const { cli, url } = await startServe({ FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_LOG_LEVEL: 'info' });
    const gate = createGate();
    worker.script([{ holdUntil: gate.opened }]);
    const pending = generate(url, { prompt: 'slow one', response_format: 'b64_json' });
    await vi.waitFor(() => expect(worker.requests).toHaveLength(1), { timeout: 10_000 });
    cli.child.kill('SIGTERM');
    // Once it says it is shutting down (no probe request: a kept-alive connection would still be
    // served), the upstream answers.
    await vi.waitFor(() => expect(cli.output().stderr).toContain('shutting down'), { timeout: 10_000, interval: 20 });
    gate.open();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
    const run = await cli.done;
    expect(run.code).toBe(0);
    // New connections are refused once it is down.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("two gateways sharing one output directory serve each other's images", async () => {
    const env = { FLUX_WORKER_URL: worker.fluxUrl, IMAGEGEN_OUTPUT_DIR: join(cwd, 'shared') };
    const [first, second] = await Promise.all([startServe(env), startServe(env)]);
    const made = (await (await generate(first.url, { prompt: 'a shared fox' })).json()) as { data: Array<{ url: string }> };
    const { pathname } = new URL(made.data[0]!.url);
    const served = await fetch(`${second.url}${pathname}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(TINY_PNG);
    expect((await fetch(`${second.url}/v1/images/image_flux_00000000_1.png`)).status).toBe(404);
    for (const { cli } of [first, second]) cli.child.kill('SIGTERM');
    for (const { cli } of [first, second]) expect((await cli.done).code).toBe(0);
  });
});
