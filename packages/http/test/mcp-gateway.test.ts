import { makePng } from '@imagegen/testkit';
import { Client } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { usePreviewGateway } from './support/gateway.js';

// POST /mcp on `imagegen serve`'s gateway: the MCP SDK's own clients (2.x and 1.x) over
// Streamable HTTP, with the gateway's key.
const KEY = 'mcp-gateway-key-0123456789';
const gateway = usePreviewGateway(KEY);

const headers = { authorization: `Bearer ${KEY}` };
type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string; uri?: string; data?: string; mimeType?: string }>;
  structuredContent?: Record<string, unknown>;
};

async function connect(version: 1 | 2): Promise<{
  call: (name: string, args: Record<string, unknown>) => Promise<ToolResult>;
  tools: () => Promise<string[]>;
  close: () => Promise<void>;
}> {
  const url = new URL(`${gateway.url}/mcp`);
  if (version === 2) {
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
    return {
      call: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
      tools: async () => (await client.listTools()).tools.map((tool) => tool.name),
      close: () => client.close(),
    };
  }
  const client = new ClientV1({ name: 'test', version: '1' });
  await client.connect(new TransportV1(url, { requestInit: { headers } }));
  return {
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
    tools: async () => (await client.listTools()).tools.map((tool) => tool.name),
    close: () => client.close(),
  };
}

describe.each([2, 1] as const)('POST /mcp with the MCP SDK %s.x client', (version) => {
  it('lists the three tools; generate_image with a prompt links the gateway url of a real image', async () => {
    const client = await connect(version);
    expect(await client.tools()).toEqual(['list_models', 'generate_image', 'edit_image']);
    const result = await client.call('generate_image', { prompt: 'a red fox', model: 'sdxl', width: 512, height: 384, seed: 5 });
    expect(result.isError).toBeFalsy();
    const link = result.content.find((block) => block.type === 'resource_link')!;
    expect(link.uri).toMatch(new RegExp(`^${gateway.url}/v1/images/image_sdxl_`));
    const served = await fetch(link.uri!);
    expect(served.status).toBe(200);
    const image = result.content.find((block) => block.type === 'image')!;
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(image.data!, 'base64'))).toBe(true);
    expect((await sharp(Buffer.from(image.data!, 'base64')).metadata()).width).toBe(512);
    expect(result.structuredContent).toMatchObject({
      url: link.uri,
      model: 'sdxl',
      seed: 5,
      route: 'local',
      width: 512,
      height: 384,
      preview: false,
    });
    await client.close();
  });

  it('width 99999 is an isError result naming the range; an unknown field names the closest', async () => {
    const client = await connect(version);
    const wide = await client.call('generate_image', { prompt: 'a fox', model: 'sdxl', width: 99999 });
    expect(wide).toMatchObject({ isError: true });
    expect(wide.content[0]!.text).toMatch(/width must be an integer from 256 to 2048 for sdxl/);
    const typo = await client.call('generate_image', { prompt: 'a fox', stepz: 4 });
    expect(typo.content[0]!.text).toBe("generate_image: unknown field 'stepz' (did you mean 'steps'?)");
    await client.close();
  });
});

describe('POST /mcp', () => {
  it('answers 401 without the key, before any MCP', async () => {
    const response = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('edit_image takes base64 and a mask; a path is refused over HTTP (the server never reads its files for a remote client)', async () => {
    const client = await connect(2);
    const png = makePng(64, 64, [10, 120, 200]).toString('base64');
    const mask = makePng(64, 64, [255, 255, 255]).toString('base64');
    const edited = await client.call('edit_image', {
      prompt: 'at night',
      image: png,
      mask: `data:image/png;base64,${mask}`,
      strength: 0.5,
    });
    expect(edited.isError).toBeFalsy();
    expect(edited.structuredContent).toMatchObject({ model: 'sd15-img2img', route: 'local' });
    const path = await client.call('edit_image', { prompt: 'at night', image: '/etc/passwd' });
    expect(path).toMatchObject({ isError: true });
    expect(path.content[0]!.text).toMatch(/paths are read only over stdio/);
    await client.close();
  });

  it("list_models says each model's ranges and the route it takes now", async () => {
    const client = await connect(2);
    const listed = await client.call('list_models', {});
    const models = (
      listed.structuredContent as {
        models: Array<{ model: string; route: string; inputs: Array<{ name: string; min?: number; max?: number }> }>;
      }
    ).models;
    const sdxl = models.find((model) => model.model === 'sdxl')!;
    expect(sdxl.route).toBe('local');
    expect(sdxl.inputs).toContainEqual({ name: 'width', type: 'integer', min: 256, max: 2048 });
    await client.close();
  });
});
