import type { Fetch, Transport, TransportResponse } from './ports.js';

const END = Promise.resolve({ done: true });

/**
 * A {@link Transport} over any WHATWG `fetch` (a platform's, msw's in tests, undici's): the
 * request goes out as a URL and a plain init, so no `Request` object is built on the way.
 *
 * @example
 * const generator = new ImageGenerator({ settings, transport: fetchTransport(globalThis.fetch), store });
 */
export function fetchTransport(fetch: Fetch): Transport {
  return async ({ url, method, headers, body, signal }) => {
    const response = await fetch(url, { method, headers, body, signal });
    const reader = response.body?.getReader();
    return {
      status: response.status,
      headers: response.headers,
      read: () => reader?.read() ?? END,
      cancel: (reason) => void reader?.cancel(reason).catch(() => {}),
    };
  };
}

/**
 * An answer already in hand (bytes, or a stream) as a transport's answer: what an in-process
 * transport (the Workers AI binding) or a decoded answer hands to the attempt.
 *
 * @example
 * const response = answerOf(200, 'image/png', pngBytes);
 */
export function answerOf(
  status: number,
  contentType: string,
  body: Uint8Array | ReadableStream<Uint8Array> | undefined,
): TransportResponse {
  const reader = body instanceof ReadableStream ? body.getReader() : undefined;
  let bytes = body instanceof Uint8Array ? body : undefined;
  return {
    status,
    headers: new Headers({ 'content-type': contentType }),
    read: () => {
      if (reader) return reader.read();
      const value = bytes;
      bytes = undefined;
      return value ? Promise.resolve({ done: false, value }) : END;
    },
    cancel: (reason) => void reader?.cancel(reason).catch(() => {}),
  };
}
