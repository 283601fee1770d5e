import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JobRecord, JobStore } from './job-store.js';

/**
 * Asynchronous jobs in Redis, so that any gateway process sharing it can answer
 * `GET /v1/jobs/{id}`; Redis expires each job `ttlMs` after it was created.
 *
 * @example
 * const jobs = new RedisJobStore(new Redis(process.env.IMAGEGEN_REDIS_URL), 3_600_000);
 */
export class RedisJobStore implements JobStore {
  constructor(
    private readonly client: Redis,
    private readonly ttlMs: number,
    private readonly prefix = 'imagegen:job:',
  ) {}

  async create(): Promise<JobRecord> {
    const record: JobRecord = {
      id: `job_${randomUUID().replace(/-/g, '')}`,
      object: 'image.generation.job',
      status: 'queued',
      created: Math.floor(Date.now() / 1000),
    };
    await this.client.set(this.prefix + record.id, JSON.stringify(record), 'PX', this.ttlMs);
    return record;
  }

  async update(id: string, change: Partial<Pick<JobRecord, 'status' | 'result' | 'error'>>): Promise<void> {
    const current = await this.get(id);
    // KEEPTTL: an update never extends a job's life past its creation's expiry.
    if (current) await this.client.set(this.prefix + id, JSON.stringify({ ...current, ...change }), 'KEEPTTL');
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const text = await this.client.get(this.prefix + id);
    return text ? (JSON.parse(text) as JobRecord) : undefined;
  }
}
