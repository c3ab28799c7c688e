/**
 * The loop of a batched prune: better-sqlite3 is synchronous, so a delete of millions of rows goes
 * in bounded steps, each its own transaction, with a pause (a turn of the event loop) after each.
 * Used by state.db's retention (state/retention.ts) and the series store's (sqlite/series-store.ts).
 */

/** a turn of the event loop */
export const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface PruneBatchLoop {
  /** awaited after each batch */
  pause: () => Promise<void>;
  /** asked before each batch: true ends the loop (a signal fired, the store closed) */
  stopped: () => boolean;
  /** counts a batch that ran */
  onBatch?: () => void;
}

/** Runs `step` (one batch; true when it was the last) until it is done; false when stopped first. */
export async function runPruneBatches(step: () => boolean, loop: PruneBatchLoop): Promise<boolean> {
  for (;;) {
    if (loop.stopped()) return false;
    const done = step();
    loop.onBatch?.();
    await loop.pause();
    if (done) return true;
  }
}
