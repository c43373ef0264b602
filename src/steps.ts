import { AbortedError } from './errors.js';

/** How far long work has got: `done` of `total` steps (trees, k-means inits, ...). */
export interface Progress {
  done: number;
  total: number;
}

/** Options of every cancellable long computation (`…Async` functions). */
export interface CancellableOptions {
  /** Aborting it rejects the promise with an {@link AbortedError} at the next step. */
  signal?: AbortSignal;
  /** Called after each step with (steps done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Long work written once as a generator that yields its progress after each step, so it
 * can run synchronously ({@link runSteps}) or cooperatively ({@link runStepsAsync}): a
 * synchronous loop cannot see an abort, a generator can stop between steps.
 */
export type Steps<T> = Generator<Progress, T, void>;

/**
 * Runs steps to the end on the calling thread.
 *
 * @example
 * const model = runSteps(fitSteps(rows), (done, total) => console.log(`${done}/${total}`));
 */
export function runSteps<T>(steps: Steps<T>, onProgress?: (done: number, total: number) => void): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    onProgress?.(next.value.done, next.value.total);
  }
}

/**
 * Runs steps, yielding to the event loop between them, so timers, I/O and an abort are
 * seen while the work goes on. Rejects with {@link AbortedError} when `signal` aborts.
 *
 * @example
 * const controller = new AbortController();
 * const model = await runStepsAsync(fitSteps(rows), 'forest fit', { signal: controller.signal });
 */
export async function runStepsAsync<T>(steps: Steps<T>, what: string, options: CancellableOptions = {}): Promise<T> {
  const { signal, onProgress } = options;
  try {
    for (;;) {
      if (signal?.aborted) throw new AbortedError(what, { cause: signal.reason });
      const next = steps.next();
      if (next.done) return next.value;
      onProgress?.(next.value.done, next.value.total);
      await nextTurn();
    }
  } finally {
    steps.return(undefined as never);
  }
}

/** A macrotask boundary: setImmediate in Node; elsewhere setTimeout (clamped to ~4 ms, small beside a step). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}
