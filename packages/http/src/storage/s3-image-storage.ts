import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileStore } from '@imagegen/core';
import { contentTypeOf, type ImageStorage, type OpenedImage } from './image-storage.js';
import { isMissing } from './s3-missing.js';

/** Options of {@link S3ImageStorage}. */
export interface S3ImageStorageOptions {
  bucket: string;
  /** A key prefix, e.g. `images/`. @default '' */
  prefix?: string;
  /** How long images are served (older ones answer 404). */
  maxAgeMs: number;
  /** When set, `GET /v1/images/{file}` redirects to a presigned URL valid this long instead of streaming. */
  presignSeconds?: number;
  /** The client, or its configuration. */
  client: S3Client | S3ClientConfig;
  now?: () => number;
}

async function collect(body: Uint8Array | ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    signal?.throwIfAborted();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The images of `url` answers in an S3-compatible bucket, shared by every gateway and queue
 * worker that reaches it. A PUT is atomic (an object appears whole or not at all), and a queue
 * job names its image after the job, so a job that runs again after a crash overwrites its own
 * key instead of storing a second image.
 *
 * @example
 * const storage = new S3ImageStorage({
 *   bucket: 'images', maxAgeMs: 3_600_000,
 *   client: { endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true },
 * });
 */
export class S3ImageStorage implements ImageStorage {
  readonly kind = 's3';
  readonly store: FileStore;
  private readonly client: S3Client;
  private readonly written = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: S3ImageStorageOptions) {
    this.client = options.client instanceof S3Client ? options.client : new S3Client(options.client);
    this.now = options.now ?? Date.now;
    this.store = {
      write: async (name, body, writeOptions) => {
        const bytes = await collect(body, writeOptions?.signal);
        writeOptions?.signal?.throwIfAborted();
        await this.client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: this.key(name),
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: contentTypeOf(name),
          }),
          writeOptions?.signal ? { abortSignal: writeOptions.signal } : {},
        );
        this.written.set(name, this.now());
        return name;
      },
      remove: (name) => this.discard([name]),
    };
  }

  private key(name: string): string {
    return `${this.options.prefix ?? ''}${name}`;
  }

  private expired(lastModified: Date | undefined): boolean {
    return lastModified !== undefined && this.now() - lastModified.getTime() > this.options.maxAgeMs;
  }

  remember(): void {
    // Every process sees the same bucket: nothing to note.
  }

  async open(name: string): Promise<OpenedImage | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }));
      if (!object.Body || this.expired(object.LastModified)) {
        await object.Body?.transformToWebStream().cancel();
        return undefined;
      }
      return {
        body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>,
        contentType: object.ContentType ?? contentTypeOf(name),
        size: object.ContentLength ?? 0,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async presignedUrl(name: string): Promise<string | undefined> {
    if (!this.options.presignSeconds) return undefined;
    try {
      // A HEAD first: an unknown name is the gateway's 404, not the bucket's XML error.
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }));
      if (this.expired(head.LastModified)) return undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }), {
      expiresIn: this.options.presignSeconds,
    });
  }

  async discard(names: readonly string[]): Promise<void> {
    // One DELETE per image, not a multi-object delete: S3-compatible servers differ on the
    // checksum that DeleteObjects requires (Swift's s3api refuses the SDK's default).
    await Promise.all(
      names.map(async (name) => {
        this.written.delete(name);
        await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }));
      }),
    );
  }

  async sweep(): Promise<number> {
    const now = this.now();
    const old = [...this.written].filter(([, at]) => now - at > this.options.maxAgeMs).map(([name]) => name);
    await this.discard(old);
    return old.length;
  }

  async ready(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket }), { abortSignal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
