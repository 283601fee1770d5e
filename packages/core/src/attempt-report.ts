import type { ErrorCode } from './errors.js';
import type { AttemptEvent, GenerationHooks } from './generator-options.js';
import type { Route } from './models/model.js';

/**
 * Runs one HTTP attempt and tells every hook set (the generator's, the call's) how it ended:
 * `ok`, or the code `classify` gives its error, which is passed on as it was.
 *
 * @example
 * await reportedAttempt({ ...event, route: 'rest' }, [generatorOptions, callOptions], classify, () => attemptOnce(context));
 */
export async function reportedAttempt<T>(
  event: AttemptEvent & { route: Route },
  hooks: ReadonlyArray<GenerationHooks | undefined>,
  classify: (error: unknown) => ErrorCode,
  run: () => Promise<T>,
): Promise<T> {
  const done = (outcome: 'ok' | ErrorCode): void => {
    for (const set of hooks) set?.onAttemptDone?.({ ...event, outcome });
  };
  try {
    const value = await run();
    done('ok');
    return value;
  } catch (error) {
    done(classify(error));
    throw error;
  }
}
