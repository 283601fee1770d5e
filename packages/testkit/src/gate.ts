/** A promise a test opens by hand: the signal a scripted worker waits for instead of a fixed delay. */
export interface Gate {
  /** Settles once {@link Gate.open} is called. */
  readonly opened: Promise<void>;
  open(): void;
}

/**
 * Makes a {@link Gate}: hand `gate.opened` to a reply's `holdUntil`, assert what must hold while
 * the worker waits, then `gate.open()`.
 *
 * @example
 * const gate = createGate();
 * worker.script([{ holdUntil: gate.opened }]);
 * const pending = generator.generateWithFlux('a cat');
 * await vi.waitFor(() => expect(worker.requests).toHaveLength(1));
 * gate.open();
 */
export function createGate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A promise that never settles: `holdUntil: NEVER` is a worker that never answers. */
export const NEVER: Promise<never> = new Promise<never>(() => undefined);
