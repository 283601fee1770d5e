import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { inputLines } from './input-lines.js';

/** One prompt of a batch, as read from its line. */
export interface BatchItem {
  /** 1-based line number in the input. */
  line: number;
  prompt: string;
  model: string;
  seed?: number;
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  negativePrompt?: string;
  strength?: number;
  /** Paths of the input image (several: FLUX.2 references) and a mask, relative to the current directory. */
  image?: string | string[];
  mask?: string;
  /** Stable identity across runs of the same input: line number plus content. */
  key: string;
  /** Why the line can't be generated, when it can't. */
  problem?: string;
}

const optionalInteger = (value: unknown): number | undefined | false =>
  value === undefined || value === null ? undefined : Number.isInteger(value) ? (value as number) : false;

/**
 * Reads one line: a plain prompt, or JSON `{ "prompt", "model"?, "seed"?, "width"?, "height"?,
 * "steps"?, "guidance"?, "negative_prompt"?, "strength"?, "image"?, "mask"? }` (image and mask: file paths;
 * image may be a list of paths for the models that take several).
 */
function parseLine(text: string, line: number, defaultModel: string): Omit<BatchItem, 'key'> {
  if (!text.trimStart().startsWith('{')) return { line, prompt: text, model: defaultModel };
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { line, prompt: text, model: defaultModel, problem: 'not valid JSON' };
  }
  const prompt = typeof record.prompt === 'string' ? record.prompt : '';
  const model = record.model === undefined ? defaultModel : typeof record.model === 'string' ? record.model : JSON.stringify(record.model);
  const item: Omit<BatchItem, 'key'> = { line, prompt, model };
  if (typeof record.prompt !== 'string') item.problem = '"prompt" must be a string';
  for (const name of ['seed', 'width', 'height', 'steps'] as const) {
    const value = optionalInteger(record[name]);
    if (value === false) item.problem = `"${name}" must be an integer`;
    else if (value !== undefined) item[name] = value;
  }
  for (const name of ['guidance', 'strength'] as const) {
    const value = record[name];
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isFinite(value)) item[name] = value;
    else item.problem = `"${name}" must be a number`;
  }
  const isPath = (value: unknown): value is string => typeof value === 'string' && value !== '';
  const { image, mask } = record;
  if (isPath(image) || (Array.isArray(image) && image.length > 0 && image.every(isPath))) item.image = image;
  else if (image !== undefined && image !== null) item.problem = '"image" must be a file path (or a list of them)';
  if (isPath(mask)) item.mask = mask;
  else if (mask !== undefined && mask !== null) item.problem = '"mask" must be a file path';
  const negative = record.negative_prompt ?? record.negativePrompt;
  if (negative !== undefined && negative !== null) {
    if (typeof negative === 'string') item.negativePrompt = negative;
    else item.problem = '"negative_prompt" must be a string';
  }
  return item;
}

/**
 * Streams the prompts of a batch file (or `-` for stdin), one a line, skipping blank lines:
 * memory stays flat whatever the input's length.
 */
export async function* readBatch(source: string, defaultModel: string): AsyncGenerator<BatchItem> {
  const input = source === '-' ? process.stdin : createReadStream(source, { highWaterMark: 16 * 1024 });
  let line = 0;
  for await (const text of inputLines(input)) {
    line++;
    if (text.trim() === '') continue;
    const item = parseLine(text, line, defaultModel);
    // Inputs added later go at the end only when set, so that keys of earlier runs stay valid.
    const later = [item.steps, item.guidance, item.negativePrompt, item.strength, item.image, item.mask];
    const extra = later.some((value) => value !== undefined) ? later : [];
    const content = JSON.stringify([item.model, item.prompt, item.seed, item.width, item.height, ...extra]);
    const digest = createHash('sha256').update(content).digest('hex').slice(0, 32);
    // The line number tells two copies of a prompt apart without remembering every line read,
    // so memory stays flat however long the input is.
    yield { ...item, key: `${line}:${digest}` };
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
