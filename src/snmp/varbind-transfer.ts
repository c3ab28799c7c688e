/**
 * Varbinds, table rows and errors as they cross from an SNMP thread to the main thread.
 * postMessage's structured clone of a walk's varbind objects (each OctetString a view that
 * drags its whole datagram along) cost more than the walk's decoding; packed, a walk is a few
 * arrays and one transferred byte buffer, and the receiving side builds plain varbinds again.
 */
import { NetpulseError } from '../errors/index.ts';
import { SnmpWalkError } from './errors.ts';
import type { TableRow, Varbind, VarbindType } from './types.ts';

const TYPES: VarbindType[] = [
  'Integer', 'OctetString', 'Null', 'OID', 'IpAddress', 'Counter32', 'Gauge32', 'TimeTicks', 'Opaque',
  'Counter64', 'Boolean', 'BitString', 'NoSuchObject', 'NoSuchInstance', 'EndOfMibView',
];
const TYPE_CODE = new Map<VarbindType, number>(TYPES.map((t, i) => [t, i]));

/** how a value travels: in `numbers`, in `bytes`, or as itself in `others` */
const AS_NUMBER = 0;
const AS_BYTES = 1;
const AS_OTHER = 2;

export interface PackedVarbinds {
  oids: string[];
  /** type code (index in TYPES) * 4 + how the value travels */
  codes: Uint8Array;
  /** number values, then [offset, length] pairs of byte values in `bytes`, in varbind order */
  numbers: Float64Array;
  bytes: ArrayBuffer;
  /** bigint, string, boolean and null values, in varbind order */
  others: unknown[];
}

export function packVarbinds(vbs: readonly Varbind[]): PackedVarbinds {
  const n = vbs.length;
  const oids = new Array<string>(n);
  const codes = new Uint8Array(n);
  let numberSlots = 0;
  let byteTotal = 0;
  for (const vb of vbs) {
    if (typeof vb.value === 'number') numberSlots++;
    else if (vb.value instanceof Uint8Array) { numberSlots += 2; byteTotal += vb.value.length; }
  }
  const numbers = new Float64Array(numberSlots);
  const bytes = new Uint8Array(byteTotal);
  const others: unknown[] = [];
  let ni = 0;
  let bi = 0;
  for (let i = 0; i < n; i++) {
    const { oid, type, value } = vbs[i];
    oids[i] = oid;
    const t = TYPE_CODE.get(type);
    if (t === undefined) throw new Error(`unknown varbind type ${String(type)} at ${oid}`);
    if (typeof value === 'number') {
      codes[i] = t * 4 + AS_NUMBER;
      numbers[ni++] = value;
    } else if (value instanceof Uint8Array) {
      codes[i] = t * 4 + AS_BYTES;
      bytes.set(value, bi);
      numbers[ni++] = bi;
      numbers[ni++] = value.length;
      bi += value.length;
    } else {
      codes[i] = t * 4 + AS_OTHER;
      others.push(value);
    }
  }
  return { oids, codes, numbers, bytes: bytes.buffer, others };
}

/**
 * Up to this many bytes, byte values stay views into the transferred buffer (a kept value pins at
 * most this much, as on the main thread it pinned its datagram). Above it they are copied into
 * Node's pooled 8 KiB slabs, so a poller that keeps one ifAlias does not keep a whole walk's bytes.
 */
export const BYTE_VIEW_LIMIT = 16 * 1024;

export function unpackVarbinds(p: PackedVarbinds): Varbind[] {
  const n = p.oids.length;
  const out = new Array<Varbind>(n);
  const copyFrom = p.bytes.byteLength > BYTE_VIEW_LIMIT ? new Uint8Array(p.bytes) : undefined;
  let ni = 0;
  let oi = 0;
  for (let i = 0; i < n; i++) {
    const code = p.codes[i];
    const type = TYPES[code >> 2];
    let value: Varbind['value'];
    switch (code & 3) {
      case AS_NUMBER:
        value = p.numbers[ni++];
        break;
      case AS_BYTES: {
        const off = p.numbers[ni++];
        const len = p.numbers[ni++];
        if (copyFrom) {
          value = Buffer.allocUnsafe(len);
          value.set(copyFrom.subarray(off, off + len));
        } else {
          value = Buffer.from(p.bytes, off, len);
        }
        break;
      }
      default:
        value = p.others[oi++] as Varbind['value'];
    }
    out[i] = { oid: p.oids[i], type, value };
  }
  return out;
}

/** rows as their indexes, each row's column count, and one column OID per packed varbind */
export interface PackedRows {
  indexes: string[];
  counts: Uint32Array;
  columns: string[];
  varbinds: PackedVarbinds;
}

export function packRows(rows: readonly TableRow[]): PackedRows {
  const counts = new Uint32Array(rows.length);
  const columns: string[] = [];
  const vbs: Varbind[] = [];
  rows.forEach((row, i) => {
    counts[i] = row.values.size;
    for (const [col, vb] of row.values) {
      columns.push(col);
      vbs.push(vb);
    }
  });
  return { indexes: rows.map((r) => r.index), counts, columns, varbinds: packVarbinds(vbs) };
}

export function unpackRows(p: PackedRows): TableRow[] {
  const vbs = unpackVarbinds(p.varbinds);
  const rows = new Array<TableRow>(p.indexes.length);
  let k = 0;
  for (let i = 0; i < rows.length; i++) {
    const values = new Map<string, Varbind>();
    for (let c = 0; c < p.counts[i]; c++, k++) values.set(p.columns[k], vbs[k]);
    rows[i] = { index: p.indexes[i], values };
  }
  return rows;
}

/** the byte buffers to transfer (not copy) with a packed result */
export function transferables(p: PackedVarbinds | PackedRows): ArrayBuffer[] {
  return ['bytes' in p ? p.bytes : p.varbinds.bytes];
}

export interface PackedError {
  name: string;
  message: string;
  netpulse?: { scope: string; target: string; action?: string; reason: string; kind: string };
  partial?: PackedVarbinds;
  ended?: string[];
}

export function packError(err: unknown): PackedError {
  if (err instanceof NetpulseError) {
    const { scope, target, action, reason, kind } = err;
    const out: PackedError = { name: err.name, message: err.message, netpulse: { scope, target, action, reason, kind } };
    if (err instanceof SnmpWalkError) {
      out.partial = packVarbinds(err.partial);
      out.ended = err.ended;
    }
    return out;
  }
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** the same class, kind and message as the error thrown in the SNMP thread */
export function unpackError(p: PackedError): Error {
  const np = p.netpulse;
  if (np && p.partial && (np.kind === 'walk-loop' || np.kind === 'walk-cap')) {
    return new SnmpWalkError(np.target, np.action ?? '', np.reason, np.kind, unpackVarbinds(p.partial), p.ended);
  }
  if (np) return new NetpulseError(np);
  const e = new Error(p.message);
  if (p.name !== 'Error') e.name = p.name;
  return e;
}
