// The README's code blocks, as `pnpm check:packages` runs them. Every block of a language that
// is a command or a program (sh, js, ts) says before it, in an HTML comment GitHub does not show,
// what becomes of it:
//   <!-- readme: run -->                 a shell block, run with bash in the scratch project
//   <!-- readme: run FILE.mjs -->        a program, written to FILE.mjs there and run with node
//   <!-- readme: skip REASON -->         not run here, and why (a Cloudflare account, a server that
//                                        does not stop, a synopsis, what .ci/run runs itself)
// A block with no such line fails the check: a new example is either run or said why not.
const FENCE = /^```(\w*)\s*$/;
const MARK = /^<!--\s*readme:\s*(run|skip)\b\s*(.*?)\s*-->\s*$/;
const COMMAND_LANGUAGES = new Set(['sh', 'bash', 'js', 'ts', 'mjs']);

/**
 * The README's code blocks: where each starts, its language, its text, and its mark.
 *
 * @param {string} text the README
 * @returns {Array<{ line: number, lang: string, code: string, mark: { kind: 'run' | 'skip', arg: string } | undefined }>}
 */
export function readmeBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]);
    if (!open) continue;
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (end === -1) throw new Error(`README.md:${index + 1}: a code block that never closes`);
    let before = index - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marked = before >= 0 ? MARK.exec(lines[before]) : null;
    blocks.push({
      line: index + 1,
      lang: open[1],
      code: `${lines.slice(index + 1, end).join('\n')}\n`,
      mark: marked ? { kind: marked[1], arg: marked[2] } : undefined,
    });
    index = end;
  }
  return blocks;
}

/**
 * The blocks that are commands or programs, each checked to say whether it runs.
 *
 * @param {string} text the README
 */
export function commandBlocks(text) {
  const blocks = readmeBlocks(text).filter((block) => COMMAND_LANGUAGES.has(block.lang));
  const unmarked = blocks.filter((block) => !block.mark);
  if (unmarked.length > 0) {
    const where = unmarked.map((block) => `README.md:${block.line}`).join(', ');
    throw new Error(`${where}: say before each code block <!-- readme: run ... --> or <!-- readme: skip REASON -->`);
  }
  return blocks;
}
