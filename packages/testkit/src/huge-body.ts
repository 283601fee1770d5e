import type { ServerResponse } from 'node:http';
import { TINY_PNG } from './images.js';
import type { Reply } from './worker-server.js';

/** Streams a complete-looking PNG of `reply.hugeBytes` bytes, generated on the fly, minding backpressure. */
export async function sendHuge(res: ServerResponse, status: number, headers: Record<string, string>, reply: Reply): Promise<void> {
  const total = reply.hugeBytes ?? 0;
  headers['content-type'] = reply.contentType ?? 'image/png';
  if (!reply.chunked) headers['content-length'] = String(total);
  res.writeHead(status, headers);
  const filler = Buffer.alloc(64 * 1024, 0x61);
  const first = Buffer.from(filler);
  TINY_PNG.copy(first, 0, 0, 8);
  const end = TINY_PNG.subarray(TINY_PNG.length - 12);
  let sent = 0;
  while (sent < total && !res.destroyed) {
    const left = total - sent;
    let piece = (sent === 0 ? first : filler).subarray(0, Math.min(filler.length, left));
    // The last 12 bytes are the IEND chunk, so that a client's completeness check passes.
    if (left <= filler.length && left >= 12) piece = Buffer.concat([piece.subarray(0, left - 12), end]);
    sent += piece.length;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}
