/** Small deterministic hashing/PRNG helpers: the lab's data is a pure function of (seed, device, time). */
export function hash32(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h ^= x >>> 0;
    h = Math.imul(h, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

/** uniform [0,1) from a hash of the inputs */
export function unit(...xs: number[]): number {
  return hash32(...xs) / 4294967296;
}
