import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { type CachedImage, type ResultCache } from '@imagegen/core';
import { isResultCacheKey } from '@imagegen/core/internal';
import { openCachedImage, sealCachedImage } from '@imagegen/core/node';
import { isMissing } from './s3-missing.js';

/** Where {@link S3ResultCache} keeps its images. */
export interface S3ResultCacheOptions {
  bucket: string;
  /** @default 'imagegen-cache/' */
  prefix?: string;
  client: S3Client | S3ClientConfig;
}

/**
 * The result cache in an S3-compatible bucket, so that every gateway and queue worker of a
 * deployment answers a seeded call any of them made before. Each object carries the image's
 * SHA-256 (a corrupt one is deleted and made again). Its size is bounded by the bucket's own
 * lifecycle rule (expire the prefix after some days), not here.
 *
 * @example
 * const cache = new S3ResultCache({ bucket: 'images', client: { region: 'auto', endpoint } });
 */
export class S3ResultCache implements ResultCache {
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly options: S3ResultCacheOptions) {
    this.client = options.client instanceof S3Client ? options.client : new S3Client(options.client);
    this.prefix = options.prefix ?? 'imagegen-cache/';
  }

  private key(key: string): string {
    if (!isResultCacheKey(key)) throw new TypeError('a result cache key is 64 hexadecimal digits');
    return `${this.prefix}${key}`;
  }

  async get(key: string): Promise<CachedImage | undefined> {
    let data: Uint8Array;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }));
      data = await object.Body!.transformToByteArray();
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const bytes = openCachedImage(data);
    if (bytes) return { bytes };
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }));
    return undefined;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.key(key),
        Body: sealCachedImage(bytes),
        ContentType: 'application/octet-stream',
      }),
    );
  }
}
