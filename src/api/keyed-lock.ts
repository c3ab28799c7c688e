/**
 * Runs one task per key at a time, in the order they arrive; tasks of different keys run freely.
 * What a route checks and then writes (an If-Match, a name being free) cannot change in between
 * through another write under the same key in this process.
 */
export function keyedLock() {
  const tails = new Map<string, Promise<void>>();
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const result = (tails.get(key) ?? Promise.resolve()).then(run);
    const tail = result.then(() => undefined, () => undefined);
    tails.set(key, tail);
    void tail.then(() => { if (tails.get(key) === tail) tails.delete(key); });
    return result;
  };
}
