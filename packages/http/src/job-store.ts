import type { OpenAiErrorBody } from './openai-error.js';

/** Where an asynchronous generation stands. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** An asynchronous generation as `GET /v1/jobs/{id}` shows it. */
export interface JobRecord {
  id: string;
  object: 'image.generation.job';
  status: JobStatus;
  created: number;
  /** When succeeded: the very body the synchronous call would have answered. */
  result?: unknown;
  /** When failed: the OpenAI error body and the status the synchronous call would have had. */
  error?: OpenAiErrorBody['error'] & { status: number };
}

/** Asynchronous jobs and their results, behind a port so a shared (Redis) one can replace it. */
export interface JobStore {
  create(): Promise<JobRecord>;
  update(id: string, change: Partial<Pick<JobRecord, 'status' | 'result' | 'error'>>): Promise<void>;
  /** The job, or undefined when unknown or expired. */
  get(id: string): Promise<JobRecord | undefined>;
}

/**
 * Jobs in this process's memory, forgotten `ttlMs` after they were created.
 *
 * @example
 * const jobs = new InMemoryJobStore(3_600_000);
 * const job = await jobs.create();
 */
export class InMemoryJobStore implements JobStore {
  private readonly jobs = new Map<string, { record: JobRecord; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(): Promise<JobRecord> {
    this.sweep();
    const record: JobRecord = {
      id: `job_${crypto.randomUUID().replace(/-/g, '')}`,
      object: 'image.generation.job',
      status: 'queued',
      created: Math.floor(this.now() / 1000),
    };
    this.jobs.set(record.id, { record, expiresAt: this.now() + this.ttlMs });
    return { ...record };
  }

  async update(id: string, change: Partial<Pick<JobRecord, 'status' | 'result' | 'error'>>): Promise<void> {
    const entry = this.jobs.get(id);
    if (entry) Object.assign(entry.record, change);
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const entry = this.jobs.get(id);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.jobs.delete(id);
      return undefined;
    }
    return { ...entry.record };
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.jobs) if (now >= entry.expiresAt) this.jobs.delete(id);
  }
}
