import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { pino } from 'pino';
import { type GatewayApp, type GatewayOptions, createApp } from './app.js';
import { parseGatewayKeys } from './auth.js';
import { isLoopbackHost } from './middlewares/local-only.js';

/** Options of {@link serve}: the gateway's, plus where to listen and how to stop. */
export interface ServeOptions extends GatewayOptions {
  /** @default 8080 (PORT) */
  port?: number;
  /** @default '127.0.0.1'; any other address needs gateway keys */
  host?: string;
  /** How long in-flight requests may run after SIGTERM/SIGINT. @default 30000 */
  shutdownTimeoutMs?: number;
  /** Stop on SIGTERM and SIGINT. @default true */
  handleSignals?: boolean;
  /** Called after the server has stopped (the CLI stops its local workers here). */
  onClosed?: () => void | Promise<void>;
}

/** A running gateway. */
export interface RunningGateway {
  url: string;
  port: number;
  app: GatewayApp;
  /** Resolves once the server has stopped. */
  closed: Promise<void>;
  /** Graceful stop: no new connections, in-flight requests finish (up to the deadline), then the generator closes. */
  close(): Promise<void>;
}

/**
 * Why a gateway without keys does not listen on `host`: anyone who reaches it could spend the
 * Workers AI account. Said the same by `serve` and the CLI.
 *
 * @example
 * needsKeys('0.0.0.0'); // 'listening on 0.0.0.0 needs IMAGEGEN_GATEWAY_KEYS ...'
 */
export function needsKeys(host: string): string {
  return `listening on ${host} needs IMAGEGEN_GATEWAY_KEYS (comma-separated keys of at least 8 characters): without keys anyone who reaches the gateway could spend your Workers AI account; without keys it listens on 127.0.0.1 only`;
}

/**
 * Runs the gateway on Node (@hono/node-server). With no gateway keys configured it listens on
 * loopback only (another `host` is refused) and answers this machine only. SIGTERM/SIGINT stop it
 * gracefully.
 *
 * @example
 * import { serve } from '@imagegen/http';
 * const gateway = await serve({ port: 8080 });
 * console.log(`${gateway.url}/v1/images/generations`);
 */
export async function serve(options: ServeOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ level: env.IMAGEGEN_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const keys = options.keys ?? parseGatewayKeys(env.IMAGEGEN_GATEWAY_KEYS);
  const host = options.host ?? '127.0.0.1';
  const keyless = keys.length === 0 && !env.IMAGEGEN_KEYS_FILE?.trim();
  if (keyless && !isLoopbackHost(host)) throw new Error(needsKeys(host));
  if (keyless) logger.info('no IMAGEGEN_GATEWAY_KEYS or IMAGEGEN_KEYS_FILE configured: no auth, answering this machine only');
  // `url` answers name the address bound here (known once listening), unless one is configured.
  const bound: { url?: string } = {};
  const publicUrl = options.publicUrl ?? env.IMAGEGEN_PUBLIC_URL ?? (() => bound.url);
  const app = createApp({ ...options, env, keys, logger, publicUrl });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? Number(env.PORT ?? 8080), host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  bound.url = url;
  logger.info({ url }, 'imagegen gateway listening');

  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let stopping: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight requests');
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + (options.shutdownTimeoutMs ?? 30_000);
      while (app.inFlight() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      server.closeAllConnections();
      await serverClosed;
      await app.close();
      await options.onClosed?.();
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      logger.info('gateway stopped');
      resolveClosed();
    })());
  const onSignal = (): void => void close();
  if (options.handleSignals !== false) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { url, port, app, closed, close };
}
