import { randomBytes } from 'node:crypto';
import { loadSettings } from '@imagegen/core';
import { sharpCodec } from '@imagegen/core/node';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImagegenMcpServer, type McpImageMaker, MAX_INLINE_IMAGE_BYTES } from '../src/mcp.js';

// The MCP server over a maker of its own, in memory: what a result carries for an image too
// large to send inline, and a failure of the maker.
type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string; data?: string; mimeType?: string }>;
  structuredContent?: Record<string, unknown>;
};

async function noise(side: number): Promise<Uint8Array> {
  // Random pixels: PNG can't compress them, so the file is about 3 bytes a pixel.
  const pixels = randomBytes(side * side * 3);
  return new Uint8Array(
    await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

async function callWith(maker: McpImageMaker, args: Record<string, unknown>): Promise<ToolResult> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createImagegenMcpServer(maker, '0.0.0');
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  try {
    return (await client.callTool({ name: 'generate_image', arguments: args })) as ToolResult;
  } finally {
    await client.close();
    await server.close();
  }
}

const makerOf = (bytes: Uint8Array, codec = true): McpImageMaker => ({
  settings: loadSettings({}),
  ...(codec ? { codec: sharpCodec() } : {}),
  make: async (parsed) => ({
    bytes,
    contentType: 'image/png',
    uri: 'file:///tmp/big.png',
    name: 'big.png',
    location: { path: '/tmp/big.png' },
    model: parsed.model,
    route: 'rest',
    seed: 1,
  }),
});

describe('the MCP server', () => {
  it('an image over the inline limit is linked whole and shown as a JPEG preview under 1 MB, saying so', async () => {
    const big = await noise(900);
    expect(big.byteLength).toBeGreaterThan(MAX_INLINE_IMAGE_BYTES);
    const result = await callWith(makerOf(big), { prompt: 'noise' });
    const image = result.content.find((block) => block.type === 'image')!;
    expect(image.mimeType).toBe('image/jpeg');
    const preview = Buffer.from(image.data!, 'base64');
    expect(preview.byteLength).toBeLessThanOrEqual(MAX_INLINE_IMAGE_BYTES);
    expect((await sharp(preview).metadata()).format).toBe('jpeg');
    expect(result.content[0]!.text).toMatch(/smaller JPEG preview/);
    expect(result.structuredContent).toMatchObject({ path: '/tmp/big.png', bytes: big.byteLength, preview: true, width: 900, height: 900 });
  });

  it('without a codec, a large image is linked only, and the text says why', async () => {
    const result = await callWith(makerOf(await noise(900), false), { prompt: 'noise' });
    expect(result.content.some((block) => block.type === 'image')).toBe(false);
    expect(result.content[0]!.text).toMatch(/too large to show here: open the link/);
  });

  it("a maker's failure is an isError result with its words", async () => {
    const failing: McpImageMaker = {
      settings: loadSettings({}),
      make: () => Promise.reject(new Error('Workers AI is out of capacity [rate_limited]')),
    };
    const result = await callWith(failing, { prompt: 'a fox' });
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'generate_image: Workers AI is out of capacity [rate_limited]' }],
    });
  });
});
