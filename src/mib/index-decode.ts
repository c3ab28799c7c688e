/**
 * Decodes a row's instance index from the sub-identifiers after a column OID, by the INDEX
 * objects' syntax (RFC 2578 §7.7): integers one sub-id, IpAddress four, fixed-size strings
 * their size, variable strings and OIDs length-prefixed unless IMPLIED.
 */
import { formatOctetHint } from './display-hint.ts';
import type { Syntax } from './types.ts';

export interface IndexObject { name: string; syntax?: Syntax; implied: boolean }

export interface DecodedIndex {
  /** one rendered part per index object, e.g. `2`, `10.0.0.1`, `"public"` */
  parts: string[];
  /** sub-identifiers left over when the index ran short or was longer than declared */
  rest: number[];
}

const INTEGER_BASES = new Set(['INTEGER', 'Integer32', 'Unsigned32', 'Gauge32', 'Gauge', 'Counter32', 'Counter', 'TimeTicks', 'Counter64']);

export function decodeIndex(subids: number[], objects: IndexObject[]): DecodedIndex | undefined {
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const base = o.syntax?.base ?? 'INTEGER';
    const left = subids.length - pos;
    if (left <= 0) return undefined;
    if (INTEGER_BASES.has(base)) {
      const v = subids[pos++];
      const label = o.syntax?.enums?.find((e) => e.value === String(v))?.label;
      parts.push(label ? `${label}` : String(v));
      continue;
    }
    if (base === 'IpAddress' || base === 'NetworkAddress') {
      const skip = base === 'NetworkAddress' && left >= 5 ? 1 : 0;
      if (left < 4 + skip) return undefined;
      pos += skip;
      parts.push(subids.slice(pos, pos + 4).join('.'));
      pos += 4;
      continue;
    }
    if (base === 'OBJECT IDENTIFIER') {
      let len: number;
      if (o.implied && i === objects.length - 1) len = left;
      else { len = subids[pos++]; if (len > subids.length - pos) return undefined; }
      parts.push(subids.slice(pos, pos + len).join('.'));
      pos += len;
      continue;
    }
    if (base === 'OCTET STRING' || base === 'BITS' || base === 'Opaque') {
      const fixed = fixedSize(o.syntax);
      let len: number;
      if (fixed !== undefined) len = fixed;
      else if (o.implied && i === objects.length - 1) len = left;
      else { len = subids[pos++]; }
      if (len > subids.length - pos) return undefined;
      const bytes = subids.slice(pos, pos + len);
      if (bytes.some((b) => b > 255)) return undefined;
      pos += len;
      parts.push(renderIndexString(Uint8Array.from(bytes), o.syntax, fixed !== undefined || (o.implied && i === objects.length - 1)));
      continue;
    }
    // unknown syntax: one sub-identifier
    parts.push(String(subids[pos++]));
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
