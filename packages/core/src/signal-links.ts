/**
 * Links callers' abort signals to the controllers of the calls they were given to, with one
 * listener per signal however many calls share it. `AbortSignal.any` would do it per call,
 * but a long-lived signal (a CLI's interrupt, shared by a whole batch) keeps a weak reference
 * per call it ever joined, measured as heap and RSS growing with the batch's length; and a
 * listener per call trips Node's "possible memory leak" warning past ten calls at once.
 */
/** Anything that can be stopped with a reason: an AbortController, a call's stop. */
export interface Abortable {
  abort(reason: unknown): void;
}

export class SignalLinks {
  private readonly links = new Map<AbortSignal, { controllers: Set<Abortable>; onAbort: () => void }>();

  /**
   * Aborts `controller` with `signal`'s reason when it aborts (at once if it already has).
   * Returns the function that undoes the link: call it when the call is over.
   *
   * @example
   * const unlink = links.link(options.signal, controller);
   * try { await work(controller.signal); } finally { unlink(); }
   */
  link(signal: AbortSignal, controller: Abortable): () => void {
    if (signal.aborted) {
      controller.abort(signal.reason);
      return () => {};
    }
    let link = this.links.get(signal);
    if (!link) {
      const controllers = new Set<Abortable>();
      const onAbort = (): void => {
        this.links.delete(signal);
        for (const each of controllers) each.abort(signal.reason);
      };
      link = { controllers, onAbort };
      this.links.set(signal, link);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    const { controllers } = link;
    controllers.add(controller);
    return () => {
      controllers.delete(controller);
      if (controllers.size === 0 && this.links.get(signal) === link) {
        this.links.delete(signal);
        signal.removeEventListener('abort', link.onAbort);
      }
    };
  }
}
