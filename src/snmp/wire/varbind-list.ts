/**
 * The hot loop of every response: a varbind list decoded without a reader object, header
 * object or arc array per varbind. Consecutive OIDs of a GETBULK answer share long prefixes,
 * so each OID's text reuses the previous one's up to the last shared sub-identifier.
 * Only well-formed lists are decoded here; on anything unusual it returns undefined and the
 * checked decoder in message.ts, which names what is wrong and where, decodes the list again.
 */
import { decodeOid, readSigned, readUnsigned32, readUnsigned64, writeDecimal, writeFirstArcs, type BerReader } from './ber.ts';
import { MAX_ARC, MAX_SUB_IDS } from '../../model/oid-arc.ts';
import type { WireVarbind } from './types.ts';
import type { VarbindType } from '../types.ts';

/** text offsets (in the previous OID's string) after each of its sub-identifiers */
let prevCuts = new Int32Array(MAX_SUB_IDS);
let cuts = new Int32Array(MAX_SUB_IDS);

/**
 * The current OID's text, built in place: the next OID overwrites it after the prefix they
 * share, and each OID string is made in one piece from it (no concatenated pieces to flatten
 * and collect later). Room for MAX_SUB_IDS arcs of up to 10 digits and a dot.
 */
const text = Buffer.allocUnsafe(MAX_SUB_IDS * 11 + 16);

/**
 * Lists whose OIDs each sort strictly after the one before (decided from the BER bytes while
 * decoding, where it costs a comparison of one arc), with their length when decoded: a walk then
 * checks the first and last OID of an answer instead of every one (src/snmp/walk.ts).
 */
const ascending = new WeakMap<readonly unknown[], number>();

/** true when every OID of `list`, as decoded here, sorts after the one before it; only a change of its length is seen, so callers never reorder, replace or edit its varbinds */
export function isAscendingList(list: readonly unknown[]): boolean {
  return ascending.get(list) === list.length;
}

/**
 * Whether the OID at [cur, cur + curLen) sorts after the one at [prev, prev + prevLen), both
 * well-formed (the last byte ends an arc), given that their first `k` bytes are equal and
 * `arcStart` is where the arc holding byte `k` starts. Canonical BER (no 0x80 lead byte) makes
 * a longer arc encoding the larger number; anything else answers false (the caller then checks
 * the slow way).
 */
function follows(buf: Buffer, cur: number, curLen: number, prev: number, prevLen: number, k: number, arcStart: number): boolean {
  if (k === curLen || k === prevLen) return k === prevLen && curLen > prevLen;
  if (buf[cur + arcStart] === 0x80 || buf[prev + arcStart] === 0x80) return false;
  let a = arcStart;
  while (buf[cur + a] & 0x80) a++;
  let b = arcStart;
  while (buf[prev + b] & 0x80) b++;
  return a !== b ? a > b : buf[cur + k] > buf[prev + k];
}

/** BER length at `pos` (tag already skipped): sets `lenEnd` to the content start; -1 when unusual */
let lenEnd = 0;
function readLength(buf: Buffer, pos: number, end: number): number {
  if (pos >= end) return -1;
  let len = buf[pos++];
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > end) return -1;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
  }
  if (len > end - pos) return -1;
  lenEnd = pos;
  return len;
}

/**
 * Decodes the varbind list content [start, end) of `r`'s buffer. It may also throw a
 * WireDecodeError (from the shared number and OID readers): the caller then falls back too.
 */
export function decodeVarbindList(r: BerReader, start: number, end: number, typeByTag: Record<number, VarbindType>): WireVarbind[] | undefined {
  const buf = r.buf;
  const out: WireVarbind[] = [];
  let inOrder = true;
  let prevStart = -1;
  let prevLen = 0;
  let pos = start;
  while (pos < end) {
    if (buf[pos] !== 0x30) return undefined;
    const vbLen = readLength(buf, pos + 1, end);
    if (vbLen < 0) return undefined;
    const vbEnd = lenEnd + vbLen;
    pos = lenEnd;
    if (pos >= vbEnd || buf[pos] !== 0x06) return undefined;
    const oidLen = readLength(buf, pos + 1, vbEnd);
    if (oidLen <= 0) return undefined;
    const oidStart = lenEnd;
    const oidEnd = oidStart + oidLen;
    if (buf[oidEnd - 1] & 0x80) return undefined;

    // shared leading sub-identifiers with the previous OID (same bytes up to an arc's end)
    let k = 0;
    let shared = 0;
    let sharedBytes = 0;
    if (prevStart >= 0) {
      const n = Math.min(oidLen, prevLen);
      while (k < n && buf[oidStart + k] === buf[prevStart + k]) {
        if (!(buf[oidStart + k] & 0x80)) {
          shared++;
          sharedBytes = k + 1;
        }
        k++;
      }
      if (inOrder) inOrder = follows(buf, oidStart, oidLen, prevStart, prevLen, k, sharedBytes);
    }
    let len: number;
    let arcs: number;
    let i: number;
    if (shared > 0) {
      // the first BER byte holds two arcs
      arcs = shared + 1;
      len = prevCuts[arcs - 1];
      for (let j = 0; j < arcs; j++) cuts[j] = prevCuts[j];
      i = oidStart + sharedBytes;
    } else {
      len = 0;
      arcs = 0;
      i = oidStart;
    }
    let v = 0;
    for (; i < oidEnd; i++) {
      const b = buf[i];
      v = v * 128 + (b & 0x7f);
      if (v > MAX_ARC) return undefined;
      if (b & 0x80) continue;
      if (arcs === 0) {
        len = writeFirstArcs(text, v);
        cuts[0] = 1;
        cuts[1] = len;
        arcs = 2;
      } else {
        // a longer OID goes to the checked decoder
        if (arcs >= MAX_SUB_IDS) return undefined;
        text[len] = 46;
        len = writeDecimal(text, len + 1, v);
        cuts[arcs++] = len;
      }
      v = 0;
    }
    const oid = text.toString('latin1', 0, len);
    prevStart = oidStart;
    prevLen = oidLen;
    const swap = prevCuts;
    prevCuts = cuts;
    cuts = swap;

    // value
    pos = oidEnd;
    if (pos >= vbEnd) return undefined;
    const tag = buf[pos];
    const type = typeByTag[tag];
    if (type === undefined) return undefined;
    const valLen = readLength(buf, pos + 1, vbEnd);
    if (valLen < 0) return undefined;
    const vs = lenEnd;
    const ve = vs + valLen;
    if (ve !== vbEnd) return undefined;
    let value: WireVarbind['value'];
    switch (tag) {
      case 0x02:
        if (valLen === 0 || valLen > 4) return undefined;
        value = readSigned(r, vs, ve, type);
        break;
      case 0x04: case 0x44: case 0x03:
        value = buf.subarray(vs, ve);
        break;
      case 0x41: case 0x42: case 0x43:
        if (valLen === 0 || valLen > 5 || (valLen === 5 && buf[vs] !== 0)) return undefined;
        value = readUnsigned32(r, vs, ve, type);
        break;
      case 0x46:
        if (valLen === 0 || valLen > 9) return undefined;
        value = readUnsigned64(r, vs, ve, type);
        break;
      case 0x40:
        if (valLen !== 4) return undefined;
        value = `${buf[vs]}.${buf[vs + 1]}.${buf[vs + 2]}.${buf[vs + 3]}`;
        break;
      case 0x06:
        value = decodeOid(r, vs, ve);
        break;
      case 0x01:
        value = valLen > 0 && buf[vs] !== 0;
        break;
      default:
        value = null;
    }
    out.push({ oid, type, value });
    pos = vbEnd;
  }
  if (inOrder) ascending.set(out, out.length);
  return out;
}
