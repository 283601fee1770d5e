import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'not readable (permission denied)',
  EPERM: 'not readable (permission denied)',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * Why the file at `path` can't be read, in words (`no such file`, `it is a directory`, `not
 * readable (permission denied)`), or undefined when it can.
 *
 * @example
 * await fileProblem('photos/'); // 'it is a directory'
 */
export async function fileProblem(path: string): Promise<string | undefined> {
  try {
    if ((await stat(path)).isDirectory()) return 'it is a directory';
    await access(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return REASONS[code] ?? (error as Error).message;
  }
}
