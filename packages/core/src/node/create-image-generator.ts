import type { ImageGeneratorOptions } from '../generator-options.js';
import type { Transport } from '../ports.js';
import { ImageGenerator } from '../image-generator.js';
import { loadSettings, type Settings } from '../settings.js';
import { createConsoleLogger, parseLogLevel } from './console-logger.js';
import { NodeFileStore } from './file-store.js';
import { resultCacheFromEnv } from './disk-result-cache.js';
import { readImageFile } from './read-image-file.js';
import { sharpCodec } from './sharp-codec.js';
import { createNodeHttpTransport } from './http-transport.js';
import type { AgentOptions } from './undici-agent.js';
import { createUndiciTransport } from './undici-transport.js';

/** Options of {@link createImageGenerator}: every generator option is optional here. */
export interface NodeImageGeneratorOptions extends Partial<Omit<ImageGeneratorOptions, 'settings'>> {
  /** The settings; read from `env` when absent. */
  settings?: Settings;
  /** Where settings come from when `settings` is absent. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the settings' output directory. */
  outputDir?: string;
  /** The HTTP client's timeouts and pool size. */
  agent?: AgentOptions;
  /**
   * The HTTP client: undici (the default: the faster one once started, for servers, batches
   * and libraries), or Node's own `http`, which starts 0.3-0.4 s sooner: for one-shot processes.
   * @default 'undici'
   */
  client?: 'undici' | 'node-http';
}

/**
 * An `ImageGenerator` wired for Node: an undici Agent, or Node's `http` with `client: 'node-http'`
 * (connect 30 s, headers and body 120 s, 10 connections, keep-alive), a file store that writes atomically into the output directory,
 * the real clock, a stderr logger at `IMAGEGEN_LOG_LEVEL` (default `warn`), input images read from
 * paths, sharp to convert answers (`outputFormat`) and shrink input images, and the result cache
 * when `IMAGEGEN_CACHE_DIR` is set (`IMAGEGEN_CACHE_MAX_MB`, default 1024). Settings come
 * from `process.env` unless given. `close()` also closes the Agent.
 *
 * @example
 * import { createImageGenerator } from '@imagegen/core/node';
 *
 * const generator = createImageGenerator();
 * const result = await generator.generateWithFlux('a cat on a windowsill');
 * console.log(result.ok ? result.path : result.error.message);
 * await generator.close();
 */
export function createImageGenerator(options: NodeImageGeneratorOptions = {}): ImageGenerator {
  const { env = process.env, outputDir, agent: agentOptions, client = 'undici', settings: given, ...rest } = options;
  const settings = given ?? loadSettings(env);
  const resultCache = resultCacheFromEnv(env);
  // A given fetch or transport is used as is; otherwise the client's, closed with the generator.
  const own = options.fetch || options.transport ? undefined : ownTransport(client, agentOptions);
  const onClose = rest.onClose;
  return new ImageGenerator({
    logger: createConsoleLogger(parseLogLevel(env.IMAGEGEN_LOG_LEVEL)),
    store: new NodeFileStore(outputDir ?? settings.outputDir),
    codec: sharpCodec(),
    readImageFile,
    ...(resultCache ? { resultCache } : {}),
    ...rest,
    settings,
    ...(own ? { transport: own.transport } : {}),
    onClose: async () => {
      await onClose?.();
      await own?.close();
    },
  });
}

function ownTransport(client: 'undici' | 'node-http', agent: AgentOptions | undefined): { transport: Transport; close(): Promise<void> } {
  if (client === 'node-http') return createNodeHttpTransport(agent);
  const undici = createUndiciTransport(agent);
  return { transport: undici.transport, close: () => undici.agent.close() };
}
