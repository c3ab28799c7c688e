/** Stable start-time spreading: a device always polls at the same offset within its interval. */

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Offset in [0, intervalMs) from the name's hash. */
export function spreadOffset(name: string, intervalMs: number): number {
  return Math.floor((fnv1a(name) / 2 ** 32) * intervalMs);
}

/** First due time ≥ now on the grid `k × interval + offset` (aligned to the epoch, so stable across restarts). */
export function firstDue(now: number, intervalMs: number, offsetMs: number): number {
  let due = Math.floor(now / intervalMs) * intervalMs + offsetMs;
  if (due < now) due += intervalMs;
  return due;
}
