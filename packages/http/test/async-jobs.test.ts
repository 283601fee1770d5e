import { createGate, TINY_PNG } from '@imagegen/testkit';
import { describe, expect, it, vi } from 'vitest';
import { InMemoryJobStore, type JobRecord } from '../src/index.js';
import { useGateways } from './support/gateway.js';

const { worker: currentWorker, gateway } = useGateways();

const poll = async (app: Awaited<ReturnType<typeof gateway>>['app'], location: string): Promise<JobRecord> => {
  let job: JobRecord | undefined;
  await vi.waitFor(
    async () => {
      job = (await (await app.request(location)).json()) as JobRecord;
      expect(['succeeded', 'failed']).toContain(job.status);
    },
    { timeout: 10_000, interval: 20 },
  );
  return job!;
};

describe('the asynchronous API (Prefer: respond-async)', () => {
  it('answers 202 with a job id and Location, then the job holds the synchronous body', async () => {
    const { post, app } = await gateway();
    const gate = createGate();
    currentWorker().script([{ holdUntil: gate.opened }]);
    const response = await post({ prompt: 'a slow cat', response_format: 'b64_json' }, { prefer: 'respond-async' });
    expect(response.status).toBe(202);
    expect(response.headers.get('preference-applied')).toBe('respond-async');
    const job = (await response.json()) as JobRecord;
    expect(job).toMatchObject({ object: 'image.generation.job', status: 'queued' });
    expect(job.id).toMatch(/^job_[0-9a-f]{32}$/);
    const location = response.headers.get('location')!;
    expect(location).toBe(`/v1/jobs/${job.id}`);
    expect(((await (await app.request(location)).json()) as JobRecord).status).toMatch(/queued|running/);
    gate.open();
    const done = await poll(app, location);
    expect(done.status).toBe('succeeded');
    const result = done.result as { created: number; data: Array<{ b64_json: string }> };
    expect(Buffer.from(result.data[0]!.b64_json, 'base64')).toEqual(TINY_PNG);
  });

  it('a url job serves its image like a synchronous one', async () => {
    const { post, app } = await gateway();
    const response = await post({ prompt: 'a dog' }, { prefer: 'respond-async, wait=5' });
    const done = await poll(app, response.headers.get('location')!);
    const url = (done.result as { data: Array<{ url: string }> }).data[0]!.url;
    expect((await app.request(new URL(url).pathname)).status).toBe(200);
  });

  it('a failed generation is a failed job with the synchronous error and status', async () => {
    const { post, app } = await gateway();
    currentWorker().script([{ status: 429, headers: { 'retry-after': '9' } }]);
    const response = await post({ prompt: 'busy' }, { prefer: 'respond-async' });
    const done = await poll(app, response.headers.get('location')!);
    expect(done).toMatchObject({ status: 'failed', error: { status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error' } });
  });

  it('bad input is still a 400 at once; an unknown job is 404', async () => {
    const { post, app } = await gateway();
    expect((await post({ prompt: '' }, { prefer: 'respond-async' })).status).toBe(400);
    const unknown = await app.request('/v1/jobs/job_00000000000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('jobs and their results expire', async () => {
    let now = 1_000_000;
    const { post, app } = await gateway({ jobs: new InMemoryJobStore(60_000, () => now) });
    const response = await post({ prompt: 'short lived', response_format: 'b64_json' }, { prefer: 'respond-async' });
    const location = response.headers.get('location')!;
    await poll(app, location);
    now += 60_000;
    expect((await app.request(location)).status).toBe(404);
  });

  it('with gateway keys, the job route wants the key too', async () => {
    const { post, app } = await gateway({ keys: ['job-key-0123'] });
    const response = await post(
      { prompt: 'keyed', response_format: 'b64_json' },
      { prefer: 'respond-async', authorization: 'Bearer job-key-0123' },
    );
    const location = response.headers.get('location')!;
    expect((await app.request(location)).status).toBe(401);
    expect((await app.request(location, { headers: { authorization: 'Bearer job-key-0123' } })).status).toBe(200);
  });
});
