import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { GatewayError } from '../openai-error.js';
import type { GatewayEnv, GatewayLogger } from '../request-context.js';

/** Unknown routes: 404 in OpenAI's error shape. */
export const notFoundInOpenAiShape: NotFoundHandler<GatewayEnv> = (context) =>
  answer(
    context,
    new GatewayError({
      status: 404,
      message: `Unknown route: ${context.req.method} ${context.req.path}`,
      type: 'invalid_request_error',
      code: 'not_found',
    }),
  );

const answer = (context: Context<GatewayEnv>, error: GatewayError): Response => {
  for (const [name, value] of Object.entries(error.headers)) context.header(name, value);
  return context.json(error.body(), error.status);
};

/**
 * Every error as OpenAI's `{ error: { message, type, param, code } }`: a GatewayError as it is,
 * Hono's HTTP exceptions by their status, anything else a logged 500 that says nothing more.
 *
 * @example
 * app.onError(errorsInOpenAiShape(logger));
 */
export function errorsInOpenAiShape(logger: GatewayLogger): ErrorHandler<GatewayEnv> {
  return (error, context) => {
    const known =
      error instanceof GatewayError
        ? error
        : error instanceof HTTPException
          ? new GatewayError({
              status: error.status,
              message: error.message || 'Bad request',
              type: error.status >= 500 ? 'server_error' : 'invalid_request_error',
            })
          : undefined;
    if (known) return answer(context, known);
    logger.error({ reqId: context.get('requestId'), err: { name: error.name, message: error.message } }, 'unexpected error');
    return answer(
      context,
      new GatewayError({ status: 500, message: 'Internal server error', type: 'server_error', code: 'internal_error' }),
    );
  };
}
