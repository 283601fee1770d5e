/** One image in the gallery, as kept across reloads. */
export interface HistoryItem {
  id: string;
  prompt: string;
  model: string;
  url: string;
  ms: number;
  attempts: number | undefined;
  at: number;
  /** Thumbnails (data URLs) of the start images an edit began from. */
  sources?: string[];
}

const KEY = 'imagegen-demo-history';
const LIMIT = 50;

/** The saved history, newest first; an unreadable store is an empty one. */
export function loadHistory(storage: Storage = localStorage): HistoryItem[] {
  try {
    const items = JSON.parse(storage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(items) ? (items as HistoryItem[]).slice(0, LIMIT) : [];
  } catch {
    return [];
  }
}

/** Saves the history (the newest {@link LIMIT} items). */
export function saveHistory(items: HistoryItem[], storage: Storage = localStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(items.slice(0, LIMIT)));
  } catch {
    // A full or disabled storage only costs the history, never the page.
  }
}
