import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasRemoteRoute, loadSettings } from '@imagegen/core';
import { createImageGenerator } from '@imagegen/core/node';
import { createApp } from '@imagegen/http';
import { startLocalWorkers } from '@imagegen/workers';
import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { pino } from 'pino';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** @default 5173 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Settings; FLUX_WORKER_URL / SDXL_WORKER_URL / SDXL_API_KEY select real workers. @default process.env */
  env?: Record<string, string | undefined>;
}

/** A running demo. */
export interface RunningDemo {
  url: string;
  backend: 'local' | 'remote';
  close(): Promise<void>;
}

const GATEWAY_PATHS = /^\/(v1\/|healthz$|readyz$|metrics$|openapi\.json$)/;

/**
 * Starts the demo on loopback: the local workers (unless real ones are configured), the gateway
 * and the built page, all behind one URL.
 *
 * @example
 * const demo = await startDemo({ port: 0 });
 * console.log(demo.url);
 * await demo.close();
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  let env = { ...(options.env ?? process.env) };
  const configured = loadSettings(env);
  const workers = hasRemoteRoute(configured) ? undefined : await startLocalWorkers();
  if (workers) env = { ...env, ...workers.previewEnv };
  const logger = pino({ level: env.IMAGEGEN_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const generator = createImageGenerator({ env: { ...env, IMAGEGEN_LOG_LEVEL: env.IMAGEGEN_LOG_LEVEL ?? 'warn' } });
  // The demo is a loopback page for one person: no gateway keys, a generous rate limit; `url`
  // answers name the address it listens on.
  const bound: { url?: string } = {};
  const gateway = createApp({
    generator,
    env,
    keys: [],
    logger,
    rateLimit: { burst: 30, perSecond: 5 },
    publicUrl: () => bound.url,
  });
  const backend = workers ? 'local' : 'remote';

  const pageDir = relative(process.cwd(), fileURLToPath(new URL('../dist', import.meta.url))) || '.';
  const page = new Hono();
  page.get('/demo/info', (context) => context.json({ backend }));
  page.use('/*', serveStatic({ root: pageDir }));
  page.get('/*', serveStatic({ root: pageDir, path: 'index.html' }));

  const server = createAdaptorServer({
    fetch: (request: Request) => (GATEWAY_PATHS.test(new URL(request.url).pathname) ? gateway.fetch(request) : page.fetch(request)),
  }) as Server;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5173, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  bound.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${bound.url}/`,
    backend,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.close();
      await workers?.close();
    },
  };
}
