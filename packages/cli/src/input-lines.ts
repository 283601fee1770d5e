import type { Readable } from 'node:stream';

const LINE_END = /\r\n|\n|\r/g;

/**
 * The lines of a text stream, one at a time, ended as readline ends them (`\n`, `\r\n` or a
 * lone `\r`; the last may have no end). Reads no further ahead than the stream's own buffer:
 * readline's async iterator queues up to a thousand lines ahead of a slow consumer, which a
 * batch of slow prompts always is, and those lines outlived the young generation (measured as
 * peak RSS growing with the batch).
 *
 * @example
 * for await (const line of inputLines(createReadStream('prompts.txt'))) console.log(line);
 */
export async function* inputLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (const end of text.matchAll(LINE_END)) {
      // A `\r` that ends the chunk may be the first half of a `\r\n`: wait for the next chunk.
      if (end[0] === '\r' && end.index === text.length - 1) break;
      yield text.slice(start, end.index);
      start = end.index + end[0].length;
    }
    rest = text.slice(start);
  }
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest !== '') yield rest;
}
