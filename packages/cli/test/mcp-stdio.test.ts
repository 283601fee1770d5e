import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePng } from '@imagegen/testkit';
import { useScratchDir } from '@imagegen/testkit/vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from './support/run-cli.js';

// `imagegen mcp` as an assistant starts it: the built binary on stdio, driven by the MCP SDK's
// own client, offline (nothing configured: the local preview).
type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string; uri?: string; data?: string; mimeType?: string }>;
  structuredContent?: Record<string, unknown>;
};

const scratch = useScratchDir('imagegen-mcp-');

async function withServer<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const env = Object.fromEntries(Object.entries(cleanEnv()).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--out', scratch.out], env, cwd: scratch.path }),
  );
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

describe('imagegen mcp (stdio)', () => {
  it('lists the three tools; generate_image with only a prompt saves a real image, linked and shown', async () => {
    await withServer(async (client) => {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['list_models', 'generate_image', 'edit_image']);
      const progress: string[] = [];
      const result = (await client.callTool(
        { name: 'generate_image', arguments: { prompt: 'a red fox in the snow' } },
        { onprogress: (event) => progress.push(event.message ?? '') },
      )) as ToolResult;
      expect(result.isError).toBeFalsy();
      const link = result.content.find((block) => block.type === 'resource_link')!;
      expect(link.uri).toMatch(/^file:\/\//);
      const path = fileURLToPath(link.uri!);
      expect(existsSync(path)).toBe(true);
      expect(path.startsWith(scratch.out)).toBe(true);
      const image = result.content.find((block) => block.type === 'image')!;
      const meta = await sharp(Buffer.from(image.data!, 'base64')).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1024, 1024]);
      expect(result.structuredContent).toMatchObject({ path, model: 'flux', route: 'local', width: 1024, height: 1024, preview: false });
      // Progress comes while the image is made, none with the result (see mcp-server.ts).
      expect(progress[0]).toBe('sending to flux');
      expect(progress).not.toContain('saved');
    });
  });

  it('width 99999 is an isError result naming the range, and the server keeps serving', async () => {
    await withServer(async (client) => {
      const wide = (await client.callTool({
        name: 'generate_image',
        arguments: { prompt: 'a fox', model: 'sdxl', width: 99999 },
      })) as ToolResult;
      expect(wide.isError).toBe(true);
      expect(wide.content[0]!.text).toBe('generate_image: width must be an integer from 256 to 2048 for sdxl');
      const noPrompt = (await client.callTool({ name: 'generate_image', arguments: {} })) as ToolResult;
      expect(noPrompt.isError).toBe(true);
      expect(noPrompt.content[0]!.text).toMatch(/prompt/);
      const after = (await client.callTool({
        name: 'generate_image',
        arguments: { prompt: 'a fox', model: 'sdxl', seed: 3 },
      })) as ToolResult;
      expect(after.structuredContent).toMatchObject({ model: 'sdxl', seed: 3 });
    });
  });

  it('edit_image reads an image and a mask by path', async () => {
    const image = join(scratch.path, 'room.png');
    const mask = join(scratch.path, 'mask.png');
    await writeFile(image, makePng(64, 64, [120, 80, 40]));
    await writeFile(mask, makePng(64, 64, [255, 255, 255]));
    await withServer(async (client) => {
      const edited = (await client.callTool({
        name: 'edit_image',
        arguments: { prompt: 'at night', image, mask, strength: 0.4 },
      })) as ToolResult;
      expect(edited.isError).toBeFalsy();
      expect(edited.structuredContent).toMatchObject({ model: 'sd15-img2img' });
      const missing = (await client.callTool({
        name: 'edit_image',
        arguments: { prompt: 'x', image: join(scratch.path, 'nope.png') },
      })) as ToolResult;
      expect(missing.isError).toBe(true);
      expect(missing.content[0]!.text).toMatch(/^edit_image: image: /);
    });
  });
});
