import { createMiddleware } from 'hono/factory';
import { acceptedRequestId, type GatewayEnv, type GatewayLogger } from '../request-context.js';
import type { GatewayTelemetry } from '../telemetry.js';

/** Counts the requests being handled, for a graceful stop. */
export interface InFlight {
  active: number;
}

/**
 * Gives each request an id (the caller's sane `x-request-id`, or a new UUID) and the logger,
 * counts it while in flight, and when it ends echoes the id, reports it and logs one line.
 *
 * @example
 * app.use('*', requestLog({ logger, telemetry: noTelemetry, inFlight: { active: 0 } }));
 */
export function requestLog(options: { logger: GatewayLogger; telemetry: GatewayTelemetry; inFlight: InFlight }) {
  const { logger, telemetry, inFlight } = options;
  return createMiddleware<GatewayEnv>(async (context, next) => {
    const started = performance.now();
    const requestId = acceptedRequestId(context.req.header('x-request-id')) ?? crypto.randomUUID();
    context.set('requestId', requestId);
    // Before the handler: a header set on a finished response makes Hono rebuild it around
    // its body stream.
    context.header('x-request-id', requestId);
    // The shared logger, not a child per request: a child costs more than most requests' work;
    // routes put reqId in their fields instead.
    context.set('logger', logger);
    inFlight.active++;
    try {
      await next();
    } finally {
      inFlight.active--;
      const status = context.res.status;
      telemetry.request(context.req.routePath, context.req.method, status);
      logger.info(
        { reqId: requestId, method: context.req.method, path: context.req.path, status, ms: Math.round(performance.now() - started) },
        'request',
      );
    }
  });
}
