/**
 * The ports through which the pure core reaches the outside world. A runtime plugs in real
 * implementations (`@imagegen/core/node`); tests plug in msw-intercepted fetch, an in-memory
 * store and fake clocks.
 */

/** The network: any WHATWG `fetch`. */
export type Fetch = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/** One HTTP request of an attempt, as a model built it, with the attempt's signal. */
export interface TransportRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string> | undefined;
  /** A body that can be sent again on a retry (a string, bytes or a form; never a stream). */
  body?: string | Uint8Array<ArrayBuffer> | FormData | undefined;
  /** Aborts the request, or the body still arriving. */
  signal: AbortSignal;
}

/** What the core reads of an answer: its status, its headers, and its body one chunk at a time. */
export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  /** The next chunk of the body (`done` at its end); rejects when the transfer fails. */
  read(): Promise<{ done?: boolean | undefined; value?: Uint8Array | undefined }>;
  /** Stops the body and frees the connection; a pending `read()` settles. Safe to call twice. */
  cancel(reason?: unknown): void;
}

/**
 * How requests reach a worker, one level below `fetch`: a runtime with a faster client than
 * its `fetch` plugs it in here (the Node runtime sends with undici's `request`, which builds
 * no WHATWG `Request`, `Response` or web stream). Anything else goes through
 * {@link fetchTransport}.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Options a {@link FileStore} receives with each write. */
export interface FileStoreWriteOptions {
  /** Aborts the write; the store removes whatever it wrote. */
  signal?: AbortSignal;
  /**
   * Called when `name` is already taken; returns a fresh name to try instead. A store never
   * overwrites an existing image.
   */
  nextName?: () => string;
}

/** Where images land. */
export interface FileStore {
  /**
   * Writes `body` under `name` atomically: the name appears only once every byte is written,
   * and nothing is left behind when the body errors or the signal aborts. Resolves to the path
   * (or key) of the stored image.
   */
  write(name: string, body: Uint8Array | ReadableStream<Uint8Array>, options?: FileStoreWriteOptions): Promise<string>;
  /** Removes a stored image; a missing one is not an error. */
  remove(path: string): Promise<void>;
}

/** Time, injectable so that tests never wait for real. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `onFire` after `ms` unless the returned function is called first. Optional: without
   * it, timers are built on `sleep` with an AbortController each, which costs more per image.
   */
  timer?(ms: number, onFire: () => void): () => void;
}

/** A structured logger (pino's call shape: fields first, then the message). */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** An image format imagegen can write: what `outputFormat` takes. */
export type OutputFormat = 'png' | 'jpeg' | 'webp';

/**
 * Decodes and re-encodes images: converting an answer to the format asked for, shrinking an
 * input image to what a model takes. The Node entry provides one built on sharp; the portable
 * core has none (bytes then pass as they are, and a call that needs one is refused).
 */
export interface ImageCodec {
  /** The image re-encoded as `format`; `quality` 1-100 for JPEG and WebP (100: best). */
  convert(bytes: Uint8Array, format: OutputFormat, quality?: number): Promise<Uint8Array>;
  /** The image scaled down, keeping its proportions, so neither side is over `maxSide`, in its own format. */
  fit(bytes: Uint8Array, maxSide: number): Promise<Uint8Array>;
}

/** Reads an input image named by a path, refusing one over `maxBytes` before reading it. */
export type ImageFileReader = (path: string, maxBytes: number) => Promise<Uint8Array>;

/** An image kept by the result cache, found again by its key. */
export interface CachedImage {
  bytes: Uint8Array;
}

/**
 * Images already paid for, by a key of everything that decided them (model, prompt, inputs,
 * seed, input images): a seeded call made before is answered from here, not the upstream.
 * `@imagegen/core/node`'s `DiskResultCache` keeps them in a directory, bounded, least recently
 * used first out.
 */
export interface ResultCache {
  /** The image of `key`, or undefined (never stored, evicted, or found corrupt and dropped). */
  get(key: string): Promise<CachedImage | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
}
