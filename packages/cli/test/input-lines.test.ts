import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inputLines } from '../src/input-lines.js';

const collect = async (chunks: Array<string | Buffer>) => {
  const lines: string[] = [];
  for await (const line of inputLines(Readable.from(chunks, { objectMode: false }))) lines.push(line);
  return lines;
};

describe('inputLines', () => {
  it('splits on LF and CRLF across chunk boundaries, keeps empty lines, and yields a last line without an end', async () => {
    expect(await collect(['a cat\r', '\nthe sea\n\n', 'sp', 'lit\r\nlast'])).toEqual(['a cat', 'the sea', '', 'split', 'last']);
    expect(await collect(['one\n'])).toEqual(['one']);
    expect(await collect(['old\rmac\r', 'line\r'])).toEqual(['old', 'mac', 'line']);
    expect(await collect([])).toEqual([]);
  });

  it('decodes a multi-byte character cut between two chunks', async () => {
    const bytes = Buffer.from('café ☕\nnaïve\n');
    expect(await collect([bytes.subarray(0, 4), bytes.subarray(4, 8), bytes.subarray(8)])).toEqual(['café ☕', 'naïve']);
  });

  it('reads no further ahead than the stream: a slow reader leaves the rest of a long input unread', async () => {
    let produced = 0;
    const input = new Readable({
      highWaterMark: 64,
      read() {
        produced++;
        this.push(produced > 10_000 ? null : `prompt ${produced}\n`);
      },
    });
    const lines = inputLines(input);
    await lines.next();
    await lines.next();
    expect(produced).toBeLessThan(50);
    await lines.return(undefined);
  });
});
