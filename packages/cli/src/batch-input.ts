import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { findModel, INPUTS } from '@imagegen/core';
import { inputTypeProblem, unknownFieldText } from '@imagegen/core/internal';
import type { InputFlags } from './commands/shared-options.js';
import { inputLines } from './input-lines.js';

/** One prompt of a batch, as read from its line. */
export interface BatchItem {
  /** 1-based line number in the input (for people: the key does not depend on it). */
  line: number;
  prompt: string;
  model: string;
  /** The model inputs the line sets, under the library's names. */
  params: InputFlags;
  /** Paths of the input image (several: FLUX.2 references) and a mask, relative to the current directory. */
  image?: string | string[];
  mask?: string;
  /**
   * The line's identity across runs: a digest of its canonical inputs (the model's alias, the
   * prompt, the inputs and images, in a fixed order), so editing, inserting or reordering other
   * lines never makes an image twice. The n-th copy of the same inputs is told apart by `#n`.
   */
  key: string;
  /** Why the line can't be generated, when it can't. */
  problem?: string;
}

// The fields a JSON line may carry: the prompt, the model, its images, and every catalogue input
// under its JSON name (`negativePrompt`, the library's name, is still read: older files use it).
const OTHER_FIELDS = ['prompt', 'model', 'image', 'mask'];
const KNOWN_FIELDS = [...OTHER_FIELDS, ...INPUTS.map((input) => input.jsonName)];
const READ_ALSO: Readonly<Record<string, string>> = { negativePrompt: 'negative_prompt' };
// Each input with every name a line may give it under, worked out once, not per line.
const INPUT_NAMES = INPUTS.map(
  (input) => [input, [input.jsonName, ...Object.keys(READ_ALSO).filter((alias) => READ_ALSO[alias] === input.jsonName)]] as const,
);

/**
 * Reads one line: a plain prompt, or JSON `{ "prompt", "model"?, "image"?, "mask"?, and the
 * inputs ("seed", "width", "height", "steps", "guidance", "negative_prompt", "strength") }` (image
 * and mask: file paths; image may be a list of paths for the models that take several). A field
 * nobody knows refuses the line, naming it.
 */
function parseLine(text: string, line: number, defaultModel: string): Omit<BatchItem, 'key'> {
  if (!text.trimStart().startsWith('{')) return { line, prompt: text, model: defaultModel, params: {} };
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { line, prompt: text, model: defaultModel, params: {}, problem: 'not valid JSON' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { line, prompt: text, model: defaultModel, params: {}, problem: 'a JSON line must be an object with a "prompt"' };
  }
  const prompt = typeof record.prompt === 'string' ? record.prompt : '';
  const model = record.model === undefined ? defaultModel : typeof record.model === 'string' ? record.model : JSON.stringify(record.model);
  const item: Omit<BatchItem, 'key'> = { line, prompt, model, params: {} };
  const problems: string[] = [];
  if (typeof record.prompt !== 'string') problems.push('"prompt" must be a string');
  for (const field of Object.keys(record)) {
    if (!KNOWN_FIELDS.includes(field) && !(field in READ_ALSO)) problems.push(unknownFieldText(field, KNOWN_FIELDS));
  }
  for (const [input, names] of INPUT_NAMES) {
    const value = names.map((name) => record[name]).find((found) => found !== undefined && found !== null);
    if (value === undefined) continue;
    const problem = inputTypeProblem(input, value);
    if (problem) problems.push(`"${input.jsonName}" ${problem}`);
    else (item.params as Record<string, unknown>)[input.name] = value;
  }
  const isPath = (value: unknown): value is string => typeof value === 'string' && value !== '';
  const { image, mask } = record;
  if (isPath(image) || (Array.isArray(image) && image.length > 0 && image.every(isPath))) item.image = image;
  else if (image !== undefined && image !== null) problems.push('"image" must be a file path (or a list of them)');
  if (isPath(mask)) item.mask = mask;
  else if (mask !== undefined && mask !== null) problems.push('"mask" must be a file path');
  if (problems.length > 0) item.problem = problems.join('; ');
  return item;
}

/** The digest of a line's canonical inputs: the same inputs, written in any order, give the same digest. */
function contentDigest(item: Omit<BatchItem, 'key'>): string {
  const canonical = [
    findModel(item.model)?.alias ?? item.model,
    item.prompt,
    ...INPUTS.map((input) => item.params[input.name] ?? null),
    item.image === undefined ? null : [item.image].flat(),
    item.mask ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}

/**
 * Streams the prompts of a batch file (or `-` for stdin), one a line, skipping blank lines. Only
 * the digests seen are kept (to number the copies of one line), so memory stays small whatever
 * the input's length.
 */
export async function* readBatch(source: string, defaultModel: string): AsyncGenerator<BatchItem> {
  const input = source === '-' ? process.stdin : createReadStream(source, { highWaterMark: 16 * 1024 });
  const copies = new Map<string, number>();
  let line = 0;
  for await (const text of inputLines(input)) {
    line++;
    if (text.trim() === '') continue;
    const item = parseLine(text, line, defaultModel);
    const digest = contentDigest(item);
    const copy = (copies.get(digest) ?? 0) + 1;
    copies.set(digest, copy);
    yield { ...item, key: copy === 1 ? digest : `${digest}#${copy}` };
  }
}

/** Counts the non-blank lines of a file without holding it (for the progress bar's total). */
export async function countPrompts(path: string): Promise<number> {
  let count = 0;
  for await (const text of inputLines(createReadStream(path))) {
    if (text.trim() !== '') count++;
  }
  return count;
}
