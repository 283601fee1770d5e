import {
  hasRemoteRoute,
  type ImageGenerator,
  loadSettings,
  routeRegistry,
  type RetryOptions,
  type ResultCache,
  type Settings,
  type UpstreamLimiter,
} from '@imagegen/core';
import { cleanTempFiles, createImageGenerator } from '@imagegen/core/node';
import type { ResolvedSettings } from './settings-sources.js';

/** A generator ready to use, and what `close()` must stop with it. */
export interface Runtime {
  generator: ImageGenerator;
  settings: Settings;
  /** True when the local preview workers serve this run. */
  local: boolean;
  close(): Promise<void>;
}

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  resolved: ResolvedSettings;
  retry?: RetryOptions;
  /** Connections in the pool (grow it with concurrency). */
  connections?: number;
  /** Paces the HTTP attempts to each upstream (the batch's adaptive limiter). */
  limiter?: UpstreamLimiter;
  /** The result cache, when not the one of IMAGEGEN_CACHE_DIR (a queue worker's in the bucket). */
  resultCache?: ResultCache;
  /** Where to say that the local workers are used. */
  say: (line: string) => void;
  /** The HTTP client: Node's own for a command that makes one image and exits (it starts sooner). */
  client?: 'undici' | 'node-http';
}

/**
 * Builds the generator from resolved settings and says which routes it uses. With no route
 * off this machine configured (no worker, no Workers AI account), starts the local preview
 * workers in-process (offline): every catalogue model is then reached by the `local` route. Leftover temporary files of
 * earlier killed runs are removed from the output directory first.
 */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  let env = options.resolved.env;
  let settings = loadSettings(env);
  let stopWorkers: (() => Promise<void>) | undefined;
  if (!hasRemoteRoute(settings)) {
    const { startLocalWorkers } = await import('@imagegen/workers');
    const workers = await startLocalWorkers();
    stopWorkers = () => workers.close();
    env = { ...env, ...workers.previewEnv };
    settings = loadSettings(env);
    options.say(`no worker configured: using the local preview workers (offline) at ${workers.url}`);
  } else {
    const routes = routeRegistry.configured(settings);
    options.say(`using ${routes.map((route) => routeRegistry.describe(route, settings)).join(', then ')}`);
  }
  await cleanTempFiles(settings.outputDir);
  const generator = createImageGenerator({
    settings,
    env,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.connections ? { agent: { connections: options.connections } } : {}),
    ...(options.client ? { client: options.client } : {}),
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.resultCache ? { resultCache: options.resultCache } : {}),
  });
  return {
    generator,
    settings,
    local: stopWorkers !== undefined,
    close: async () => {
      await generator.close();
      await stopWorkers?.();
    },
  };
}
