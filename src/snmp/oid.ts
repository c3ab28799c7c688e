/** Numeric OID helpers. OIDs are dotted strings without a leading dot: `1.3.6.1.2.1.1.5.0`. */
import { MAX_ARC } from '../model/oid-arc.ts';

const OID_RE = /^\d+(\.\d+)*$/;

/**
 * `.1.3.6` or `1.3.06` → `1.3.6` (the form agents answer with, which walks compare against);
 * throws on anything that is not an OID BER can encode: two arcs at least, the first 0, 1 or 2,
 * the second below 40 under 0 and 1, each arc at most 2^32-1.
 */
export function normalizeOid(oid: string): string {
  const s = oid.trim().replace(/^\./, '');
  if (!OID_RE.test(s)) throw new Error(`not a numeric OID: "${oid}"`);
  const arcs = s.split('.').map((arc) => {
    const n = Number(arc);
    if (n > MAX_ARC) throw new Error(`OID arc ${arc} out of range in "${oid}"`);
    return n;
  });
  if (arcs.length < 2) throw new Error(`OID "${oid}" has one arc; an OID has two at least`);
  if (arcs[0] > 2) throw new Error(`OID "${oid}" starts with ${arcs[0]}; the first arc is 0, 1 or 2`);
  if (arcs[0] < 2 && arcs[1] >= 40) throw new Error(`OID "${oid}": the second arc is ${arcs[1]}, it must be below 40 under ${arcs[0]}`);
  return arcs.join('.');
}

export function isValidOid(oid: string): boolean {
  try {
    normalizeOid(oid);
    return true;
  } catch {
    return false;
  }
}

export function oidToArcs(oid: string): number[] {
  return oid === '' ? [] : oid.split('.').map(Number);
}

/**
 * Lexicographic comparison by arcs, as SNMP orders OIDs: <0 when a precedes b. Allocation-free
 * and hot in walks, where consecutive OIDs share a long prefix: the shared characters are
 * skipped, and the arcs are parsed as numbers only from the arc where they differ.
 */
export function compareOids(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let k = 0;
  while (k < n && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  while (k > 0 && a.charCodeAt(k - 1) !== 46) k--;
  let i = k;
  let j = k;
  for (;;) {
    if (i >= a.length) return j >= b.length ? 0 : -1;
    if (j >= b.length) return 1;
    let x = 0;
    let y = 0;
    let c: number;
    while (i < a.length && (c = a.charCodeAt(i)) !== 46) {
      x = x * 10 + (c - 48);
      i++;
    }
    while (j < b.length && (c = b.charCodeAt(j)) !== 46) {
      y = y * 10 + (c - 48);
      j++;
    }
    if (x !== y) return x - y;
    i++;
    j++;
  }
}

/** True when `oid` is strictly below `root` (root itself is not in its own subtree). */
export function isInSubtree(root: string, oid: string): boolean {
  return oid.length > root.length && oid.startsWith(root) && oid.charCodeAt(root.length) === 46;
}

/** The part of `oid` after `prefix.`; undefined when oid is not below prefix. */
export function oidSuffix(prefix: string, oid: string): string | undefined {
  return isInSubtree(prefix, oid) ? oid.slice(prefix.length + 1) : undefined;
}
