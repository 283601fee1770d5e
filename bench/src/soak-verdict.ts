// The soak's verdict on memory and handles: growth only (a fall is no leak), and only the
// program's own handles (the harness's stdio pipes or terminal are not the program's).

const MiB = 1024 * 1024;

/** Memory after a forced GC (run node with --expose-gc). */
export interface MemorySnapshot {
  heapUsed: number;
  external: number;
  rss: number;
}

/**
 * How much memory may grow from the end of the warm-up to the end of the run. The heap is
 * measured after a forced GC, so what survives is live: 10% plus 5 MiB (a small heap moves by a
 * few MiB between two GCs with nothing leaking). RSS also holds freed pages the allocator keeps,
 * so it gets more room: 15%.
 */
export const MEMORY_BOUNDS = { heapGrowth: 0.1, heapSlackBytes: 5 * MiB, rssGrowth: 0.15 } as const;

/** Forces a GC, then reads the memory figures. */
export function memoryAfterGc(): MemorySnapshot {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heapUsed, external, rss };
}

/** Whether memory stayed within {@link MEMORY_BOUNDS}, and a line that says so with the figures. */
export function memoryVerdict(before: MemorySnapshot, after: MemorySnapshot): { ok: boolean; line: string } {
  const heapLimit = before.heapUsed * (1 + MEMORY_BOUNDS.heapGrowth) + MEMORY_BOUNDS.heapSlackBytes;
  const rssLimit = before.rss * (1 + MEMORY_BOUNDS.rssGrowth);
  const mb = (bytes: number) => `${(bytes / MiB).toFixed(0)} MB`;
  const change = (from: number, to: number) => `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(1)}%`;
  const heapOk = after.heapUsed <= heapLimit;
  const rssOk = after.rss <= rssLimit;
  const line =
    `heap after GC ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} (${change(before.heapUsed, after.heapUsed)}, limit ${mb(heapLimit)}${heapOk ? '' : ': GREW'}); ` +
    `RSS ${mb(before.rss)} -> ${mb(after.rss)} (${change(before.rss, after.rss)}, limit ${mb(rssLimit)}${rssOk ? '' : ': GREW'}); ` +
    `external ${mb(before.external)} -> ${mb(after.external)}`;
  return { ok: heapOk && rssOk, line };
}

/** Handle kinds of the harness's standard streams: a pipe under pnpm or CI, a TTY in a terminal. */
const STDIO_KINDS = new Set(['PipeWrap', 'TTYWrap']);

/** The process's resource kinds now, with each stdio kind's count at start taken off. */
function ownHandles(stdioAtStart: Map<string, number>): string[] {
  const left = new Map(stdioAtStart);
  return process.getActiveResourcesInfo().filter((kind) => {
    if (!STDIO_KINDS.has(kind)) return true;
    const allowance = left.get(kind) ?? 0;
    left.set(kind, allowance - 1);
    return allowance <= 0;
  });
}

/** Counts the stdio handles open at start, to tell them from the program's own later. */
export function stdioHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (STDIO_KINDS.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * The program's own handles still open after its close: polled for up to `settleMs`, since a
 * closed socket or a cleared timer leaves the list a moment later. Empty is the healthy answer.
 */
export async function handlesLeftOpen(stdioAtStart: Map<string, number>, settleMs = 5000): Promise<string[]> {
  const until = Date.now() + settleMs;
  let left = ownHandles(stdioAtStart);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = ownHandles(stdioAtStart);
  }
  return left;
}
