import { envNumber } from '../env-number.js';
import { LocalImageStorage } from './local-image-storage.js';
import type { ImageStorage } from './image-storage.js';
import { S3ImageStorage } from './s3-image-storage.js';
import { S3ResultCache } from './s3-result-cache.js';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * The image storage the settings ask for: an S3-compatible bucket when `IMAGEGEN_S3_BUCKET` is
 * set (`IMAGEGEN_S3_ENDPOINT`, `IMAGEGEN_S3_PREFIX`, `IMAGEGEN_S3_PRESIGN_SECONDS`, and the usual
 * `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_REGION`), else the local `outputDir`.
 *
 * @example
 * const storage = imageStorageFromEnv(process.env, 'temp/images', 3_600_000);
 */
export function imageStorageFromEnv(env: Readonly<Record<string, string | undefined>>, outputDir: string, maxAgeMs: number): ImageStorage {
  const bucket = env.IMAGEGEN_S3_BUCKET?.trim();
  if (!bucket) return new LocalImageStorage(outputDir, maxAgeMs);
  const presignSeconds = envNumber(env, 'IMAGEGEN_S3_PRESIGN_SECONDS', 0, { orEqual: true });
  return new S3ImageStorage({
    bucket,
    prefix: env.IMAGEGEN_S3_PREFIX ?? '',
    maxAgeMs,
    ...(presignSeconds > 0 ? { presignSeconds } : {}),
    client: s3ClientConfig(env),
  });
}

/** The S3 client's settings from the environment (endpoint, region, the usual AWS credentials). */
function s3ClientConfig(env: Readonly<Record<string, string | undefined>>): S3ClientConfig {
  // The SDK warns on every start that its releases after early 2027 need Node 22; the version
  // here is pinned and supports Node 20, so the warning only alarms users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = env.IMAGEGEN_S3_ENDPOINT?.trim() || undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : {}),
  };
}

/**
 * The result cache in the bucket (`IMAGEGEN_CACHE_S3=1` with `IMAGEGEN_S3_BUCKET`), shared by every
 * process of a deployment; undefined otherwise. Throws when asked for without a bucket.
 *
 * @example
 * const resultCache = resultCacheFromS3Env(process.env);
 */
export function resultCacheFromS3Env(env: Readonly<Record<string, string | undefined>>): S3ResultCache | undefined {
  if (!['1', 'true', 'yes'].includes(env.IMAGEGEN_CACHE_S3?.trim().toLowerCase() ?? '')) return undefined;
  const bucket = env.IMAGEGEN_S3_BUCKET?.trim();
  if (!bucket) throw new Error('IMAGEGEN_CACHE_S3 needs IMAGEGEN_S3_BUCKET: the result cache goes in that bucket');
  return new S3ResultCache({ bucket, client: s3ClientConfig(env) });
}
