// The MCP server of imagegen (`@imagegen/http/mcp`): its tools over a maker of images, and stdio
// serving for `imagegen mcp`. `POST /mcp` on the gateway uses the same server over HTTP.
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { createImagegenMcpServer, type McpImageMaker } from './mcp/mcp-server.js';

export { createImagegenMcpServer, MAX_INLINE_IMAGE_BYTES } from './mcp/mcp-server.js';
export type { MadeImage, McpImageMaker } from './mcp/mcp-server.js';
export type { ImagePathReader } from './mcp/mcp-tools.js';
export type { ParsedGeneration } from './routes/generation-request.js';

/**
 * Serves the imagegen MCP server on this process's stdin and stdout until the client closes
 * stdin (stdout then carries MCP messages only: say anything else on stderr).
 *
 * @example
 * await serveMcpOverStdio(maker, '0.1.0');
 */
export async function serveMcpOverStdio(maker: McpImageMaker, version: string): Promise<void> {
  const server = createImagegenMcpServer(maker, version);
  const ended = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport());
  await ended;
  await server.close();
}
