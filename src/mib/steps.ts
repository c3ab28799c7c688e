/**
 * Work written as a generator that yields between small steps, so it can run in slices between
 * which the event loop runs (`runSliced`, in a live process) or at once (`runToEnd`).
 */
export type Steps<T> = Generator<void, T, void>;

/** index and search-state builds yield every STEP items */
export const STEP = 1024;

/** how long a slice may hold the event loop */
export const SLICE_MS = 8;

export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function runSliced<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  for (;;) {
    const end = performance.now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() >= end) break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
