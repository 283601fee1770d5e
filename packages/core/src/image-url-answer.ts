import { readBindingAnswer } from './binding-answer.js';
import { readHead } from './error-body.js';
import type { ErrorFactory } from './error-factory.js';
import { answerOf } from './fetch-transport.js';
import type { Transport, TransportResponse } from './ports.js';

// An answer naming the image is small JSON; anything bigger is not one.
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Follows a partner model's answer (`{"state": "Completed", "result": {"image": "<URL>"}}`) to the
 * image: downloads it with a plain GET (never the API token: the URL is a storage link), and
 * hands back that answer, which the attempt then checks as any image (size cap, sniffing,
 * completeness) and writes atomically. An image sent inline (base64) is taken as it is. A URL
 * that fails is a typed `invalid_response`, retried only where a retry may help (5xx, 429).
 */
export async function followImageUrl(
  answer: TransportResponse,
  context: { transport: Transport; signal: AbortSignal; model: string; errors: Pick<ErrorFactory, 'make'> },
): Promise<TransportResponse> {
  const { model, errors } = context;
  const invalid = (detail: string, retryable = false) => errors.make('invalid_response', model, { detail, retryable });
  const head = await readHead(answer, MAX_ANSWER_BYTES + 1);
  if (!head || head.length > MAX_ANSWER_BYTES) throw invalid('the answer is not JSON naming the image');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(head));
  } catch {
    throw invalid('the answer is not JSON naming the image');
  }
  const state = (parsed as { state?: unknown } | null)?.state;
  if (typeof state === 'string' && state !== 'Completed') throw invalid(`the model ended in state ${state}`);
  const image = await readBindingAnswer(parsed);
  if (image.kind === 'bytes') return answerOf(200, 'application/octet-stream', image.bytes);
  if (image.kind !== 'url') throw invalid('the answer names no image URL');
  const download = await context.transport({ url: image.url, method: 'GET', signal: context.signal });
  if (download.status < 200 || download.status > 299) {
    download.cancel();
    const retryable = download.status === 429 || download.status >= 500;
    throw invalid(`the image's URL answered HTTP ${download.status}`, retryable);
  }
  return download;
}
