import type { Context } from 'hono';
import { IMAGE_NAME, type ImageStorage } from '../storage/image-storage.js';
import { GatewayError } from '../openai-error.js';

const notFound = (): GatewayError =>
  new GatewayError({ status: 404, message: 'No such image', type: 'invalid_request_error', code: 'not_found' });

/**
 * `GET /v1/images/{file}`: an image made for a `url` answer, streamed from the storage that
 * holds it, or a redirect to a presigned URL when the storage is configured for that.
 */
export function imageHandler(storage: ImageStorage, maxAgeSeconds: number) {
  return async (context: Context) => {
    const name = context.req.param('file') ?? '';
    if (!IMAGE_NAME.test(name)) throw notFound();
    if (storage.presignedUrl) {
      const location = await storage.presignedUrl(name);
      if (location) return context.redirect(location, 302);
    }
    const image = await storage.open(name);
    if (!image) throw notFound();
    // Through the context, so that the headers set before the handler (request id, CORS) stay.
    return context.body(image.body, 200, {
      'content-type': image.contentType,
      'content-length': String(image.size),
      'cache-control': `public, max-age=${maxAgeSeconds}, immutable`,
      'x-content-type-options': 'nosniff',
    });
  };
}
