import type { CallStop } from './call-stop.js';
import { cloudflareFailureIn, readCloudflareFailure } from './cloudflare-errors.js';
import { isTextBody, readHead, snippetIn } from './error-body.js';
import type { ErrorFactory } from './error-factory.js';
import { ImageGenerationError } from './errors.js';
import { imageFileName } from './file-name.js';
import { DEFAULT_TIMEOUT_MS, type Timeouts } from './generator-options.js';
import { bufferedImage, readImageBody } from './image-body.js';
import { followImageUrl } from './image-url-answer.js';
import type { ImageModel, ModelRequest } from './models/model.js';
import { convertedImage, type OutputRequest } from './output-format.js';
import type { Clock, FileStore, Transport, TransportResponse } from './ports.js';
import type { RequestIds } from './request-ids.js';
import type { GenerationSuccess } from './result.js';
import { messageOf } from './transport-errors.js';
import { Watchdog } from './watchdog.js';

// A cheap abort reason for cleanup: abort() without one builds a DOMException with a stack.
const DONE = Symbol('done');

/**
 * A refused request that sent fields the model's published schema lacks (the caller set them by
 * name) says so: they are the likely cause, and leaving them out the fix.
 */
function offSchemaNote(error: ImageGenerationError, request: ModelRequest, errors: ErrorFactory): ImageGenerationError {
  const fields = request.offSchema ?? [];
  if (error.code !== 'bad_request' || fields.length === 0) return error;
  const list = fields.join(', ');
  const note = `${list} ${fields.length === 1 ? 'is' : 'are'} not in ${error.model}'s published schema, and Cloudflare refused the request: leave ${fields.length === 1 ? 'it' : 'them'} out`;
  return errors.make('bad_request', error.model, { status: error.status, providerCode: error.providerCode }, `${error.message} (${note})`);
}

/** What one HTTP attempt needs, by name. */
export interface AttemptContext {
  transport: Transport;
  model: ImageModel;
  request: ModelRequest;
  store: FileStore;
  /** The call's stop: an abort or `close()` ends the attempt. */
  stop: CallStop;
  requestIds: RequestIds;
  clock: Clock;
  timeouts: Timeouts;
  maxImageBytes: number;
  errors: ErrorFactory;
  /** The format the file must be in, when the call asked for one. */
  output?: OutputRequest | undefined;
  /** Hand the image's bytes back too (the result cache keeps them). */
  keepBytes?: boolean;
}

/** What a successful attempt stored. */
export type StoredImage = Pick<GenerationSuccess, 'path' | 'contentType' | 'bytes' | 'cacheStatus'> & { data?: Uint8Array };

/**
 * One HTTP attempt, from request to stored file: the watchdog bounds the wait for headers and
 * each silence in the body; the body is checked as it streams into the store; any failure
 * throws (the retry loop classifies it), and nothing is left half-written.
 */
export async function attemptOnce(context: AttemptContext): Promise<StoredImage> {
  const { model, request, stop, clock, errors } = context;
  // The attempt's own controller, linked to the call's stop: on success nothing is aborted
  // (aborting a finished request still runs undici's listeners).
  const attemptController = new AbortController();
  const attemptSignal = attemptController.signal;
  const unlink = stop.onStop((reason) => attemptController.abort(reason));
  const watchdog = new Watchdog(clock, context.timeouts.headersMs ?? DEFAULT_TIMEOUT_MS, () =>
    attemptController.abort(errors.make('timeout', model.name, { retryable: true })),
  );
  // Whatever stopped the attempt (a timeout, the caller's abort) is the reason, not the
  // transport error it caused.
  const stopReason = (): unknown =>
    attemptSignal.aborted && attemptSignal.reason !== DONE ? (attemptSignal.reason as unknown) : undefined;
  const fail = (error: unknown): never => {
    const reason = stopReason();
    attemptController.abort(DONE);
    throw reason ?? error;
  };

  try {
    let response: TransportResponse;
    try {
      response = await context.transport({ ...request, signal: attemptSignal });
    } catch (error) {
      return fail(error);
    }
    watchdog.phase(context.timeouts.bodyMs ?? DEFAULT_TIMEOUT_MS);

    if (response.status < 200 || response.status > 299) {
      // A request built outside the registry says no format: a `worker` route reads plain statuses.
      if ((request.errorFormat ?? (request.route === 'worker' ? 'worker' : 'cloudflare')) === 'cloudflare') {
        const failure = await readCloudflareFailure(response);
        throw offSchemaNote(errors.forCloudflare(model, response, clock.now(), failure), request, errors);
      }
      // A worker's text says what was wrong ("steps must be ..."); the generic worker passes a
      // binding's failure on in Cloudflare's envelope, read by its code (3036 final, 3040 retried).
      const head = isTextBody(response) ? await readHead(response, 8192) : (response.cancel(), undefined);
      const failure = head && cloudflareFailureIn(head);
      if (failure?.code !== undefined) throw errors.forCloudflare(model, response, clock.now(), failure);
      const detail = response.status === 400 && head ? snippetIn(head) : undefined;
      throw errors.forStatus(model.name, response, clock.now(), detail, request.messages);
    }

    // A partner model names the image's URL: the image is that URL's answer.
    const imageResponse = request.answersUrl
      ? await followImageUrl(response, { transport: context.transport, signal: attemptSignal, model: model.name, errors }).catch(fail)
      : response;
    const answered = await readImageBody(imageResponse, {
      model: model.name,
      maxBytes: context.maxImageBytes,
      errors,
      signal: attemptSignal,
      onChunk: () => watchdog.touch(),
    }).catch(fail);
    const { output } = context;
    const shaped = output
      ? await convertedImage(answered, output).catch((error: unknown) =>
          fail(
            error instanceof ImageGenerationError
              ? error
              : errors.make('invalid_response', model.name, {
                  detail: `the image could not be converted to ${output.format}: ${messageOf(error)}`,
                }),
          ),
        )
      : answered;
    const image = context.keepBytes ? await bufferedImage(shaped).catch(fail) : shaped;
    const name = (): string => imageFileName(model.name, context.requestIds.current, clock.now(), image.format.extension);
    try {
      const path = await context.store.write(name(), image.body, {
        signal: attemptSignal,
        nextName: () => (context.requestIds.renew(), name()),
      });
      const cacheStatus = response.headers.get('cf-aig-cache-status') ?? undefined;
      const data = context.keepBytes && image.body instanceof Uint8Array ? { data: image.body } : {};
      return { path, contentType: image.format.contentType, bytes: image.bytes(), ...(cacheStatus ? { cacheStatus } : {}), ...data };
    } catch (error) {
      const failure = image.failure() ?? stopReason();
      attemptController.abort(DONE);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a typed failure of the body, or the abort reason, passed through as given
      if (failure !== undefined) throw failure;
      throw errors.make('io', model.name, { detail: messageOf(error), cause: error });
    }
  } finally {
    watchdog.stop();
    unlink();
  }
}
