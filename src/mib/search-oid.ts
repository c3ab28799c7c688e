/** Numeric OIDs: parsing, OID order (the dictionary's and the search's), and the search by an OID prefix. */
import { MAX_ARC } from '../model/oid-arc.ts';
import type { MibNode } from './types.ts';

/** `.1.3.6` or `1.3.6` → its sub-identifiers; undefined for other text and a sub-identifier above MAX_ARC */
export function parseOid(s: string): number[] | undefined {
  const t = s.startsWith('.') ? s.slice(1) : s;
  if (!/^\d+(\.\d+)*$/.test(t)) return undefined;
  const arcs = t.split('.').map(Number);
  return arcs.every((a) => a <= MAX_ARC) ? arcs : undefined;
}

export function compareOids(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export function compareArcs(x: number[], y: number[]): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** the nodes at `prefix` (dotted, no leading dot) and below it, in OID order: one contiguous run of `sorted` (node indexes in OID order) */
export function subtreeOf(nodes: readonly MibNode[], sorted: Int32Array, prefix: string, visit: (i: number) => void): void {
  const withDot = prefix + '.';
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareOids(nodes[sorted[mid]].oid, prefix) < 0) lo = mid + 1; else hi = mid;
  }
  for (let p = lo; p < sorted.length; p++) {
    const i = sorted[p];
    const o = nodes[i].oid;
    if (o !== prefix && !o.startsWith(withDot)) break;
    visit(i);
  }
}
