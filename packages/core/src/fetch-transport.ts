import type { Fetch, Transport } from './ports.js';

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
