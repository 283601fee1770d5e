import type { FileStore } from '@imagegen/core';

/** The only names imagegen ever writes; anything else (.., encoded slashes) is never looked up. */
export const IMAGE_NAME = /^image_[a-z0-9-]+_[0-9a-f]{8}_\d+\.(png|jpg|webp|gif)$/;

/** An image opened for serving. */
export interface OpenedImage {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  size: number;
}

/**
 * Where the gateway keeps the images of `url` answers: the local directory (one process) or an
 * S3-compatible bucket (any number of gateways and queue workers). The generator writes through
 * `store`; `GET /v1/images/{file}` reads through `open` (or redirects to `presignedUrl`).
 */
export interface ImageStorage {
  /** `'local'` or `'s3'`, for /readyz and logs. */
  readonly kind: string;
  /** Where generated images are written; a write resolves to a path or key whose base name is served. */
  readonly store: FileStore;
  /** Notes an image that another process wrote into this storage (a queue worker). */
  remember(name: string): void;
  /** Opens an image by name, or undefined (unknown, expired, gone). */
  open(name: string): Promise<OpenedImage | undefined>;
  /** A short-lived URL that serves the image directly, when the storage offers one. */
  presignedUrl?(name: string): Promise<string | undefined>;
  /** Removes images by name (a request whose other images failed); a missing one is not an error. */
  discard(names: readonly string[]): Promise<void>;
  /** Removes the images this process wrote that are past the maximum age; resolves to how many. */
  sweep(): Promise<number>;
  /** Whether the storage answers (for /readyz). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/**
 * The content type of an image file name the generator made (its extension comes from the
 * sniffed bytes).
 *
 * @example
 * contentTypeOf('image_flux_a1b2c3d4_1705334567.jpg'); // 'image/jpeg'
 */
export const contentTypeOf = (name: string): string => CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
