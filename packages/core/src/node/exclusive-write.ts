import { close, link, open, unlink, write } from 'node:fs';

/**
 * Writes `bytes` to a new file at `temp` (refusing an existing one), then links it to `path`
 * (refusing an existing one) and removes `temp`, off the event loop (callback-style calls on
 * libuv's pool; why: docs/performance-notes.md). On any error the temporary file is removed and the error is passed on;
 * `EEXIST` from the link means `path` is taken and `temp` is kept for another name.
 */
export function writeExclusive(temp: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    open(temp, 'wx', (openError, fd) => {
      if (openError) return reject(openError);
      const fail = (error: Error): void => close(fd, () => unlink(temp, () => reject(error)));
      const writeFrom = (offset: number): void => {
        write(fd, bytes, offset, bytes.length - offset, null, (writeError, written) => {
          if (writeError) return fail(writeError);
          if (offset + written < bytes.length) return writeFrom(offset + written);
          close(fd, (closeError) => (closeError ? unlink(temp, () => reject(closeError)) : resolve()));
        });
      };
      writeFrom(0);
    });
  });
}

/** `link(temp, path)`, then `unlink(temp)`: gives a complete file its name without overwriting. */
export function linkExclusive(temp: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    link(temp, path, (error) => (error ? reject(error) : unlink(temp, () => resolve())));
  });
}
