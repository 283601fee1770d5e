import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { bytesToBase64 } from '../base64.js';
import type { IdempotencyStore } from '../idempotency-store.js';
import { GatewayError, invalidRequest } from '../openai-error.js';
import type { GatewayEnv } from '../request-context.js';
import { decodeBase64, sha256Hex } from '@imagegen/core/internal';

const KEY = /^[\x21-\x7e]{1,255}$/;
// The headers an answer is replayed with (the rest are the gateway's own for each request).
const KEPT = ['content-type', 'location', 'x-imagegen-attempts'];

/**
 * What makes two requests the same: the path and the body. JSON bodies by their bytes; a
 * multipart form by its fields and files in order of name (each client picks its own boundary).
 */
async function fingerprintOf(context: Context<GatewayEnv>): Promise<string> {
  const type = context.req.header('content-type') ?? '';
  const bytes = new Uint8Array(await context.req.arrayBuffer());
  const parts: Array<string | Uint8Array> = [context.req.path, '\u0000'];
  if (type.startsWith('multipart/form-data')) {
    // Hono keeps the parsed form on the request: the edits route reads this one, not a second parse.
    const form = await context.req.parseBody({ all: true }).catch(() => undefined);
    const entries = form ? Object.entries(form).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
    for (const [name, field] of entries) {
      for (const value of [field].flat()) {
        parts.push(name, '\u0000', typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer()), '\u0000');
      }
    }
    if (!form) parts.push(bytes);
  } else parts.push(bytes);
  const encoded = parts.map((part) => (typeof part === 'string' ? new TextEncoder().encode(part) : part));
  const whole = new Uint8Array(encoded.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of encoded) {
    whole.set(part, offset);
    offset += part.length;
  }
  return sha256Hex(whole);
}

/**
 * `Idempotency-Key` on image requests: the same key (per API key) with the same body within 24 h
 * answers the first answer again, without a second upstream call, even while the first still
 * runs (the second waits for it); the same key with another body is a 422. Only a success is
 * kept: after a failure the key is free and a retry runs anew.
 *
 * @example
 * app.post('/v1/images/generations', idempotency(new InMemoryIdempotencyStore()), handler);
 */
export function idempotency(store: IdempotencyStore | undefined) {
  return createMiddleware<GatewayEnv>(async (context, next) => {
    const key = context.req.header('idempotency-key');
    if (!store || key === undefined) return next();
    if (!KEY.test(key)) throw invalidRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', null, 'invalid_idempotency_key');
    const scoped = `${context.get('client') ?? 'anonymous'}:${key}`;
    const fingerprint = await fingerprintOf(context);
    let claim;
    try {
      claim = await store.claim(scoped, fingerprint, context.req.raw.signal);
    } catch (error) {
      if (context.req.raw.signal.aborted) throw error;
      // Fails closed and fast: a key that can't be checked could make the same images twice.
      throw new GatewayError({
        status: 503,
        message: `The Idempotency-Key store did not answer (${(error as Error).message}); retry shortly`,
        type: 'server_error',
        code: 'idempotency_store_unavailable',
        headers: { 'retry-after': '2' },
      });
    }
    if (claim.kind === 'conflict') {
      throw new GatewayError({
        status: 422,
        message: 'This Idempotency-Key was already used with another request: use a new key for a new request',
        type: 'invalid_request_error',
        code: 'idempotency_key_reused',
      });
    }
    if (claim.kind === 'replay') {
      const { status, headers, body } = claim.answer;
      return context.body(decodeBase64(body) as Uint8Array<ArrayBuffer>, status as 200, { ...headers, 'idempotent-replayed': 'true' });
    }
    try {
      await next();
    } catch (error) {
      await store.release(scoped).catch(() => {});
      throw error;
    }
    const response = context.res;
    if (response.status < 200 || response.status > 299) return void (await store.release(scoped).catch(() => {}));
    const body = bytesToBase64(new Uint8Array(await response.clone().arrayBuffer()));
    const headers = Object.fromEntries(KEPT.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : [])));
    // The images are made: a store that fails now costs the replay, not the answer.
    await store.complete(scoped, fingerprint, { status: response.status, headers, body }).catch(() => {});
  });
}
