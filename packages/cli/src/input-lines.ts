import type { Readable } from 'node:stream';

/**
 * The lines of a text stream, one at a time, `\n` or `\r\n` ended (the last may have no end).
 * Reads no further ahead than the stream's own buffer: readline's async iterator queues up
 * to a thousand lines ahead of a slow consumer, which a batch of slow prompts always is, and
 * those lines outlived the young generation (measured as peak RSS growing with the batch).
 *
 * @example
 * for await (const line of inputLines(createReadStream('prompts.txt', { encoding: 'utf8' }))) console.log(line);
 */
export async function* inputLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}
