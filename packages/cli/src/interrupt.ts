/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into an abort, so a generation stops and removes its
 * partial file; a second signal exits at once with 130. Returns the signal and a function
 * that removes the handlers.
 */
export function abortOnInterrupt(): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
