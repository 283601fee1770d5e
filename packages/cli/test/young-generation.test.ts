import { beforeEach, describe, expect, it, vi } from 'vitest';

// V8's flags are process-wide: the real heap is measured by bench row 5; here, what the cap decides.
const heap = vi.hoisted(() => ({ newSpace: 0, flags: [] as string[], observers: [] as Array<{ fire: () => void; connected: boolean }> }));

vi.mock('node:v8', () => ({
  getHeapSpaceStatistics: () => [
    { space_name: 'old_space', space_size: 64 << 20 },
    { space_name: 'new_space', space_size: heap.newSpace },
  ],
  setFlagsFromString: (flags: string) => heap.flags.push(flags),
}));

vi.mock('node:perf_hooks', () => ({
  PerformanceObserver: class {
    private readonly entry: { fire: () => void; connected: boolean };
    constructor(callback: () => void) {
      this.entry = { fire: callback, connected: false };
      heap.observers.push(this.entry);
    }
    observe(options: { entryTypes: string[] }) {
      expect(options.entryTypes).toEqual(['gc']);
      this.entry.connected = true;
    }
    disconnect() {
      this.entry.connected = false;
    }
  },
}));

const { capYoungGeneration, YOUNG_GENERATION_CAP_BYTES } = await import('../src/young-generation.js');
const gc = () => heap.observers.filter((observer) => observer.connected).forEach((observer) => observer.fire());

describe('capYoungGeneration', () => {
  beforeEach(() => {
    heap.flags = [];
    heap.observers = [];
  });

  it('lets the young generation grow to the cap, then stops its growth after the collection that reached it', () => {
    heap.newSpace = 1 << 20;
    capYoungGeneration();
    gc();
    heap.newSpace = 4 << 20;
    gc();
    expect(heap.flags).toEqual([]);
    heap.newSpace = YOUNG_GENERATION_CAP_BYTES;
    gc();
    expect(heap.flags).toEqual(['--semi-space-growth-factor=1']);
    expect(heap.observers.every((observer) => !observer.connected)).toBe(true);
  });

  it('stops the growth at once when the young generation is already at the cap, watching nothing', () => {
    heap.newSpace = 32 << 20;
    capYoungGeneration(16 << 20);
    expect(heap.flags).toEqual(['--semi-space-growth-factor=1']);
    expect(heap.observers).toEqual([]);
  });
});
