/**
 * A sorted OID index: entries with pre-encoded OIDs and value functions of (device, time).
 * GET is a binary search for an exact match, GETNEXT a binary search for the first greater OID.
 */
import type { VarbindType } from '../snmp/types.ts';
import { compareOids, encodeOidContent, parseOid } from '../snmp/wire/index.ts';
import type { WireVarbind } from '../snmp/wire/index.ts';
import type { LabDevice } from './network.ts';

export type ValueFn = (d: LabDevice, now: number) => WireVarbind['value'];

export interface MibEntry {
  arcs: number[];
  oid: string;
  ber: Buffer;
  type: VarbindType;
  get: ValueFn;
}

export class MibBuilder {
  private entries: MibEntry[] = [];

  add(oid: string, type: VarbindType, get: ValueFn): void {
    const arcs = parseOid(oid);
    if (!arcs) throw new Error(`lab: bad OID ${oid}`);
    this.entries.push({ arcs, oid, ber: encodeOidContent(arcs), type, get });
  }

  /** one row of a table: `cols` maps column number → [type, value fn] */
  row(table: string, index: string, cols: Record<number, [VarbindType, ValueFn]>): void {
    for (const [col, [type, get]] of Object.entries(cols)) this.add(`${table}.${col}.${index}`, type, get);
  }

  build(): MibEntry[] {
    const sorted = this.entries.sort((a, b) => compareOids(a.arcs, b.arcs));
    return sorted.filter((e, i) => i === 0 || compareOids(sorted[i - 1].arcs, e.arcs) !== 0);
  }
}

/** index of the entry equal to `arcs`, or -1 */
export function findExact(entries: MibEntry[], arcs: number[]): number {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = compareOids(entries[mid].arcs, arcs);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** index of the first entry strictly greater than `arcs` (entries.length if none) */
export function findNext(entries: MibEntry[], arcs: number[]): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareOids(entries[mid].arcs, arcs) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const macArcs = (mac: number[]): string => mac.join('.');
export const ipBuf = (ip: string): Buffer => Buffer.from(ip.split('.').map(Number));
