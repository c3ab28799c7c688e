/**
 * Decodes a row's instance index from the sub-identifiers after a column OID, by the INDEX
 * objects' syntax (RFC 2578 §7.7): integers one sub-id, IpAddress four, fixed-size strings
 * their size, variable strings and OIDs length-prefixed unless IMPLIED. The sub-identifiers are
 * read by index-arcs.ts (shared with snmp/index-decode.ts); this file picks the reader by syntax
 * and renders the value as snmpwalk prints it.
 */
import { formatOctetHint } from './display-hint.ts';
import {
  decodeFixedString, decodeInteger, decodeIpAddress, decodeOidIndex, decodeString, IndexDecodeError, type Decoded,
} from './index-arcs.ts';
import type { Syntax } from './types.ts';

export interface IndexObject { name: string; syntax?: Syntax; implied: boolean }

export interface DecodedIndex {
  /** one rendered part per index object, e.g. `2`, `10.0.0.1`, `"public"` */
  parts: string[];
  /** sub-identifiers left over when the index ran short or was longer than declared */
  rest: number[];
}

const INTEGER_BASES = new Set(['INTEGER', 'Integer32', 'Unsigned32', 'Gauge32', 'Gauge', 'Counter32', 'Counter', 'TimeTicks', 'Counter64']);

/** undefined when the index runs short, or a sub-identifier does not fit its syntax (an octet above 255) */
export function decodeIndex(subids: number[], objects: IndexObject[]): DecodedIndex | undefined {
  try {
    return readIndex(subids, objects);
  } catch (err) {
    if (err instanceof IndexDecodeError) return undefined;
    throw err;
  }
}

function readIndex(subids: number[], objects: IndexObject[]): DecodedIndex | undefined {
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const base = o.syntax?.base ?? 'INTEGER';
    // IMPLIED counts on the last index object only
    const implied = o.implied && i === objects.length - 1;
    // every index object takes a sub-identifier at least (an empty IMPLIED string included)
    if (subids.length - pos <= 0) return undefined;
    let d: Decoded<string>;
    if (INTEGER_BASES.has(base)) {
      const v = decodeInteger(subids, pos);
      const label = o.syntax?.enums?.find((e) => e.value === String(v.value))?.label;
      d = { value: label || String(v.value), next: v.next };
    } else if (base === 'IpAddress' || base === 'NetworkAddress') {
      // SMIv1 NetworkAddress: a leading address-family sub-id (1, internet) when five are left
      const skip = base === 'NetworkAddress' && subids.length - pos >= 5 ? 1 : 0;
      d = decodeIpAddress(subids, pos + skip);
    } else if (base === 'OBJECT IDENTIFIER') {
      d = decodeOidIndex(subids, pos, implied);
    } else if (base === 'OCTET STRING' || base === 'BITS' || base === 'Opaque') {
      const fixed = fixedSize(o.syntax);
      const bytes = fixed !== undefined ? decodeFixedString(subids, fixed, pos) : decodeString(subids, pos, implied);
      d = { value: renderIndexString(bytes.value, o.syntax, fixed !== undefined || implied), next: bytes.next };
    } else {
      // unknown syntax: one sub-identifier
      const v = decodeInteger(subids, pos);
      d = { value: String(v.value), next: v.next };
    }
    parts.push(d.value);
    pos = d.next;
  }
  return { parts, rest: subids.slice(pos) };
}

function fixedSize(s?: Syntax): number | undefined {
  const sz = s?.sizes;
  if (sz && sz.length === 1 && sz[0].min === sz[0].max) return Number(sz[0].min);
  return undefined;
}

/** `"public"` for text (single quotes for fixed-size and IMPLIED strings, as Net-SNMP), the DISPLAY-HINT
 * rendering otherwise (MacAddress → 00:1A:2B:...), else the bytes dotted. */
function renderIndexString(bytes: Uint8Array, s: Syntax | undefined, fixed: boolean): string {
  const printable = bytes.length > 0 && bytes.every((b) => b >= 32 && b < 127) && !bytes.includes(34);
  const hint = s?.displayHint;
  if (hint && !/^\d+[at]$/.test(hint) && bytes.length > 0) {
    const h = formatOctetHint(hint, bytes);
    if (h !== undefined && !h.includes('.') ) return h;
  }
  if (printable) return fixed ? `'${Buffer.from(bytes).toString('latin1')}'` : `"${Buffer.from(bytes).toString('latin1')}"`;
  if (hint) {
    const h = formatOctetHint(hint, bytes);
    if (h !== undefined) return `[${h}]`;
  }
  return bytes.length === 0 ? '""' : Array.from(bytes).join('.');
}
