import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KeyValueBudgets, type StorageLike } from './key-value-budgets.js';

/**
 * A key-value storage in one JSON file: read at the first use, written after every change (a
 * temporary file renamed over it, so a crash never leaves half a file).
 */
class JsonFileStorage implements StorageLike {
  private loading: Promise<Record<string, unknown>> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  private load(): Promise<Record<string, unknown>> {
    this.loading ??= readFile(this.path, 'utf8').then(
      (text) => JSON.parse(text) as Record<string, unknown>,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return {};
        throw error;
      },
    );
    return this.loading;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.load())[key] as T | undefined;
  }

  async put<T>(key: string, value: T): Promise<void> {
    const values = await this.load();
    values[key] = value;
    const text = JSON.stringify(values);
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, this.path);
    });
    return this.writing;
  }
}

/**
 * The budget store of one gateway without Redis: spend in a JSON file that survives a restart.
 * One process only; gateways that share keys share Redis.
 *
 * @example
 * const budgets = new FileBudgetStore('temp/images/.imagegen-budgets.json');
 */
export class FileBudgetStore extends KeyValueBudgets {
  constructor(path: string) {
    super(new JsonFileStorage(path));
  }
}
