import { newRequestId } from './file-name.js';

/**
 * The request id of one generation: it names the image file, and a new one is drawn when that
 * name is already taken (the store asks again), so the result reports the id its file carries.
 */
export class RequestIds {
  current = newRequestId();

  /** Draws a new id and makes it the current one. */
  renew(): string {
    this.current = newRequestId();
    return this.current;
  }
}
