import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../openai-error.js';
import type { GatewayEnv } from '../request-context.js';

const refused = (message: string, code: string): GatewayError =>
  new GatewayError({ status: 403, message, type: 'invalid_request_error', code });

/**
 * True for a loopback host name: `localhost` (and its subdomains, RFC 6761), `127.0.0.0/8`, `::1`.
 *
 * @example
 * isLoopbackHost('127.0.0.1'); // true
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** True for an Origin header that names a page served from this machine. */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Keeps a gateway without API keys to this machine. It answers only requests addressed to a
 * loopback name (so DNS rebinding, which sends a stranger's host name to 127.0.0.1, is refused)
 * whose `Origin`, when a browser sends one, is a loopback page or one of `allowedOrigins`
 * (`IMAGEGEN_CORS_ORIGINS`): any other web page the user visits cannot spend their Workers AI
 * account through it. With keys it does nothing: the keys decide.
 *
 * @example
 * app.use('*', localOnly({ keyless: keys.length === 0, allowedOrigins: ['https://app.example'] }));
 */
export function localOnly(options: { keyless: boolean; allowedOrigins: readonly string[] }) {
  return createMiddleware<GatewayEnv>(async (context, next) => {
    if (!options.keyless) return next();
    const host = new URL(context.req.url).hostname;
    if (!isLoopbackHost(host)) {
      throw refused(
        `This gateway has no API keys, so it answers only requests to localhost, 127.0.0.1 or [::1] (this one was for ${host}); set IMAGEGEN_GATEWAY_KEYS to serve other hosts`,
        'host_not_allowed',
      );
    }
    const origin = context.req.header('origin');
    if (origin !== undefined && !isLoopbackOrigin(origin) && !options.allowedOrigins.includes(origin)) {
      throw refused(
        `This gateway has no API keys, so it answers pages of this machine only (Origin ${origin.slice(0, 100)}); list an origin in IMAGEGEN_CORS_ORIGINS or set IMAGEGEN_GATEWAY_KEYS`,
        'origin_not_allowed',
      );
    }
    return next();
  });
}
