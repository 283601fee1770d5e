import { MIN_SECRET_LENGTH } from '@imagegen/core/internal';

/**
 * One key of `IMAGEGEN_KEYS_FILE`, in the words LiteLLM's users know: a name (what logs, metrics
 * and `/v1/usage` say), the key itself or its SHA-256, and optionally a budget in US dollars per
 * day or per 30 days, the models it may use, its requests a minute, and whether it may read
 * everyone's usage.
 */
export interface KeyEntry {
  name: string;
  /** The key as written in the file (one of `key` and `sha256`). */
  key?: string;
  /** The SHA-256 of the key, 64 hex digits lower case, as written in the file. */
  sha256?: string;
  maxBudget?: number;
  budgetDuration?: '1d' | '30d';
  models?: readonly string[];
  rpm?: number;
  admin?: boolean;
}

const FIELDS = new Set(['name', 'key', 'keySha256', 'maxBudget', 'budgetDuration', 'models', 'rpm', 'admin']);
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** A keys file that can't be used, with where and why (never the key itself). */
export class KeysFileError extends Error {}

/**
 * The entries of a keys file's text, each checked: a JSON array of objects with a unique `name`
 * (letters, digits, `.`, `_`, `-`), exactly one of `key` (at least 16 characters) or `keySha256`,
 * `maxBudget` (dollars, > 0) with `budgetDuration` `1d` or `30d`, `models` (catalogue aliases or ids, kept as aliases),
 * `rpm` (> 0) and `admin` (boolean). Any other field is refused by name.
 *
 * @example
 * parseKeyEntries('[{"name":"web-app","key":"sk-0123456789abcdef","maxBudget":5,"budgetDuration":"1d"}]', 'keys.json', (model) => model);
 */
export function parseKeyEntries(text: string, source: string, aliasOf: (model: string) => string | undefined): KeyEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KeysFileError(`${source}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new KeysFileError(`${source}: must be a JSON array of keys`);
  const names = new Set<string>();
  const digests = new Set<string>();
  const entries: KeyEntry[] = [];
  for (const [index, raw] of parsed.entries()) {
    const at = `${source}: entry ${index + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new KeysFileError(`${at}: must be an object`);
    const value = raw as Record<string, unknown>;
    const unknown = Object.keys(value).find((field) => !FIELDS.has(field));
    if (unknown) throw new KeysFileError(`${at}: unknown field '${unknown}' (known: ${[...FIELDS].join(', ')})`);
    const { name } = value;
    if (typeof name !== 'string' || !NAME.test(name)) throw new KeysFileError(`${at}: name must be 1-64 letters, digits, '.', '_' or '-'`);
    if (names.has(name)) throw new KeysFileError(`${at}: the name '${name}' is used twice`);
    names.add(name);
    const where = `${source}: key '${name}'`;
    if ((value.key === undefined) === (value.keySha256 === undefined))
      throw new KeysFileError(`${where}: give exactly one of key and keySha256`);
    if (value.key !== undefined && (typeof value.key !== 'string' || value.key.length < MIN_SECRET_LENGTH))
      throw new KeysFileError(`${where}: key must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    if (value.keySha256 !== undefined && (typeof value.keySha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(value.keySha256)))
      throw new KeysFileError(`${where}: keySha256 must be 64 hex digits (the SHA-256 of the key)`);
    // Compared as written (a key, or a digest): the same key twice is refused either way.
    const secret = value.key !== undefined ? `key:${value.key}` : `sha256:${(value.keySha256 as string).toLowerCase()}`;
    if (digests.has(secret)) throw new KeysFileError(`${where}: the same key as another entry`);
    digests.add(secret);
    const entry: KeyEntry =
      value.key !== undefined ? { name, key: value.key } : { name, sha256: (value.keySha256 as string).toLowerCase() };
    if (value.maxBudget !== undefined) {
      if (typeof value.maxBudget !== 'number' || !(value.maxBudget > 0))
        throw new KeysFileError(`${where}: maxBudget must be a number of US dollars above 0`);
      if (value.budgetDuration !== '1d' && value.budgetDuration !== '30d')
        throw new KeysFileError(`${where}: a maxBudget needs budgetDuration "1d" or "30d"`);
      Object.assign(entry, { maxBudget: value.maxBudget, budgetDuration: value.budgetDuration });
    } else if (value.budgetDuration !== undefined) throw new KeysFileError(`${where}: budgetDuration without maxBudget`);
    if (value.models !== undefined) {
      if (!Array.isArray(value.models) || value.models.length === 0 || value.models.some((model) => typeof model !== 'string'))
        throw new KeysFileError(`${where}: models must be a non-empty list of model names`);
      const stray = (value.models as string[]).find((model) => aliasOf(model) === undefined);
      if (stray) throw new KeysFileError(`${where}: unknown model '${stray}' in models`);
      entry.models = (value.models as string[]).map((model) => aliasOf(model)!);
    }
    if (value.rpm !== undefined) {
      if (typeof value.rpm !== 'number' || !(value.rpm > 0))
        throw new KeysFileError(`${where}: rpm must be a number of requests a minute above 0`);
      entry.rpm = value.rpm;
    }
    if (value.admin !== undefined) {
      if (typeof value.admin !== 'boolean') throw new KeysFileError(`${where}: admin must be true or false`);
      entry.admin = value.admin;
    }
    entries.push(entry);
  }
  return entries;
}
