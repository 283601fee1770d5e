import { HttpResponse } from 'msw';

// Workers AI's REST and AI Gateway answers as Cloudflare writes them, for the route tests.
export const ACCOUNT = 'acc-0123';
export const TOKEN = 'cf-token-SECRET-abcdef0123456789';
export const REST = `https://api.cloudflare.com/client/v4/accounts/${ACCOUNT}/ai/run`;
export const GATEWAY = `https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/my-gw/workers-ai`;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** A successful run: `{ result: { image: base64 }, success: true }`. */
export const envelope = (bytes: Uint8Array) =>
  HttpResponse.json({ result: { image: b64(bytes) }, success: true, errors: [], messages: [] });
/** A failed run in Cloudflare's envelope, with its code. */
export const failure = (status: number, code: number, message: string) =>
  HttpResponse.json({ result: null, success: false, errors: [{ code, message }], messages: [] }, { status });
