import { readFile, stat } from 'node:fs/promises';
import type { ImageFileReader } from '../ports.js';

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
};

/**
 * Reads an input image from a file, refusing a missing path, a directory or a file over
 * `maxBytes` (checked before reading) with a message that names the path.
 *
 * @example
 * const bytes = await readImageFile('photo.png', 10 * 1024 * 1024);
 */
export const readImageFile: ImageFileReader = async (path, maxBytes) => {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT') throw new Error(`${path} does not exist`, { cause: error });
    if (code === 'EISDIR') throw new Error(`${path} is not a file`, { cause: error });
    throw new Error(`${path} can't be read (${code})`, { cause: error });
  }
  if (size > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
  return new Uint8Array(await readFile(path));
};
