import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_PATTERN = /^\.imagegen-(\d+)-[0-9a-f]+-.+\.part$/;

/**
 * The temporary name an image is written under before it is complete: hidden, tagged with the
 * writing process's pid so that a later run can tell an orphan from a write still under way.
 */
export function tempFileName(finalName: string): string {
  const random = Math.floor(Math.random() * 0xffffffff).toString(16);
  return `.imagegen-${process.pid}-${random}-${finalName}.part`;
}

const isAlive = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes temporary files left in `dir` by processes that died mid-write (SIGKILL, power loss);
 * files of live processes are kept. Resolves to the paths removed.
 *
 * @example
 * const removed = await cleanTempFiles('temp/images');
 */
export async function cleanTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const path = join(dir, name);
    await unlink(path).then(
      () => removed.push(path),
      () => {},
    );
  }
  return removed;
}
