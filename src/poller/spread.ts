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

/** MurmurHash3's 32-bit finaliser: every input bit moves every output bit (FNV-1a alone leaves similar names clustered). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Offset in [0, intervalMs) from the name's hash. */
export function spreadOffset(name: string, intervalMs: number): number {
  return Math.floor((fmix32(fnv1a(name)) / 2 ** 32) * intervalMs);
}

/** First due time ≥ now on the grid `k × interval + offset` (aligned to the epoch, so stable across restarts). */
export function firstDue(now: number, intervalMs: number, offsetMs: number): number {
  let due = Math.floor(now / intervalMs) * intervalMs + offsetMs;
  if (due < now) due += intervalMs;
  return due;
}
