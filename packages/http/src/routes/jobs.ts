import type { Context } from 'hono';
import type { JobStore } from '../job-store.js';
import { GatewayError } from '../openai-error.js';
import type { GatewayEnv } from '../request-context.js';
import { parseGeneration } from './generation-request.js';
import { type GenerationsDeps, runGeneration } from './generations.js';

/** Whether the client asked for an asynchronous answer (RFC 7240 `Prefer: respond-async`). */
export const prefersAsync = (context: Context): boolean => /(^|[,;\s])respond-async([,;\s]|$)/i.test(context.req.header('prefer') ?? '');

/**
 * `POST /v1/images/generations` with `Prefer: respond-async`: validates at once (a bad request
 * is still a 400), then answers 202 with the job and its `Location`; the generation goes on
 * without the client's connection.
 */
export async function startJob(context: Context<GatewayEnv>, deps: GenerationsDeps, jobs: JobStore): Promise<Response> {
  const parsed = await parseGeneration(context);
  const job = await jobs.create();
  const entry = context.get('keyEntry');
  const run = {
    reqId: context.get('requestId'),
    logger: context.get('logger'),
    publicBase: deps.publicUrl(context),
    client: context.get('client'),
    ...(entry ? { key: entry } : {}),
  };
  void (async () => {
    await jobs.update(job.id, { status: 'running' });
    try {
      const answer = await runGeneration(deps, parsed, run);
      await jobs.update(job.id, { status: 'succeeded', result: answer.body });
    } catch (error) {
      const failure =
        error instanceof GatewayError
          ? error
          : new GatewayError({ status: 500, message: 'Internal server error', type: 'server_error', code: 'internal_error' });
      await jobs.update(job.id, { status: 'failed', error: { ...failure.body().error, status: failure.status } });
    }
  })();
  context.header('location', `/v1/jobs/${job.id}`);
  if (parsed.warnings.length > 0) context.header('x-imagegen-warning', parsed.warnings.join('; '));
  context.header('preference-applied', 'respond-async');
  return context.json(job, 202);
}

/** `GET /v1/jobs/{id}`: the job's state and, once done, its result or error. */
export function jobHandler(jobs: JobStore) {
  return async (context: Context) => {
    const job = await jobs.get(context.req.param('id') ?? '');
    if (!job)
      throw new GatewayError({
        status: 404,
        message: 'No such job (unknown or expired)',
        type: 'invalid_request_error',
        code: 'not_found',
      });
    return context.json(job);
  };
}
