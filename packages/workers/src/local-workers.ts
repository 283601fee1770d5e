import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { AiBinding } from './ai-binding.js';
import fluxWorker from './flux.js';
import { createLocalAi } from './local-ai.js';
import { isRestRunPath, restRun } from './local-rest.js';
import sdxlWorker from './sdxl.js';

/** Options of {@link startLocalWorkers}. */
export interface LocalWorkersOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The SDXL worker's key; a random one when absent. */
  apiKey?: string;
  /** The AI binding; the local preview renderer when absent. */
  ai?: AiBinding;
  /** The API token the REST paths demand, as Cloudflare would; any is accepted when absent. */
  apiToken?: string;
}

/** Running local workers. */
export interface LocalWorkers {
  /** `http://127.0.0.1:<port>` */
  url: string;
  fluxUrl: string;
  sdxlUrl: string;
  apiKey: string;
  /** The Workers AI REST API's stand-in: `<url>/client/v4` (`/accounts/{any}/ai/run/{model id}`). */
  restBaseUrl: string;
  /** The settings that point a generator at the original two workers (the Flux worker and the SDXL worker) here. */
  env: { FLUX_WORKER_URL: string; SDXL_WORKER_URL: string; SDXL_API_KEY: string };
  /** The setting that makes these workers the local preview of every catalogue model (route `local`). */
  previewEnv: { IMAGEGEN_LOCAL_PREVIEW_URL: string };
  /** Stops the server and closes every connection. */
  close(): Promise<void>;
}

/**
 * Serves the Flux worker at `/flux`, the SDXL worker at `/sdxl` and the Workers AI REST API's
 * run endpoint at `/client/v4/accounts/{any}/ai/run/{model id}` (every catalogue model) from
 * Node, with a local AI binding that renders previews offline: the same worker code a user
 * deploys to Cloudflare. Answers carry `x-imagegen-backend: local`.
 *
 * @example
 * const workers = await startLocalWorkers();
 * const generator = createImageGenerator({ env: { ...workers.env } });
 * await generator.generateWithFlux('a red fox');
 * await generator.close();
 * await workers.close();
 */
export async function startLocalWorkers(options: LocalWorkersOptions = {}): Promise<LocalWorkers> {
  const ai = options.ai ?? createLocalAi();
  const apiKey = options.apiKey ?? `local-${randomBytes(12).toString('hex')}`;
  const host = options.host ?? '127.0.0.1';

  const handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const worker =
      pathname === '/flux' || pathname.startsWith('/flux/')
        ? 'flux'
        : pathname === '/sdxl' || pathname.startsWith('/sdxl/')
          ? 'sdxl'
          : undefined;
    let response: Response;
    if (isRestRunPath(pathname)) response = await restRun(request, ai, options.apiToken);
    else if (worker === 'flux') response = await fluxWorker.fetch(request, { AI: ai });
    else if (worker === 'sdxl') response = await sdxlWorker.fetch(request, { AI: ai, API_KEY: apiKey });
    else
      response = new Response('Not found: the local workers are at /flux, /sdxl and /client/v4/accounts/{any}/ai/run/{model id}\n', {
        status: 404,
      });
    const headers = new Headers(response.headers);
    headers.set('x-imagegen-backend', 'local');
    return new Response(response.body, { status: response.status, headers });
  };

  const server = createAdaptorServer({ fetch: handle }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const fluxUrl = `${url}/flux`;
  const sdxlUrl = `${url}/sdxl`;
  return {
    url,
    fluxUrl,
    sdxlUrl,
    apiKey,
    restBaseUrl: `${url}/client/v4`,
    env: { FLUX_WORKER_URL: fluxUrl, SDXL_WORKER_URL: sdxlUrl, SDXL_API_KEY: apiKey },
    previewEnv: { IMAGEGEN_LOCAL_PREVIEW_URL: `${url}/client/v4` },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
