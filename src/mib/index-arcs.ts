/**
 * The one reader of the SMIv2 INDEX encoding (RFC 2578 section 7.7): the sub-identifiers after a
 * column OID, read as typed values. Each reader takes the arcs and a position and returns the value
 * and the next position, so composite indexes (ipNetToMediaTable: INTEGER + IpAddress) decode by
 * chaining. A short or malformed index throws IndexDecodeError. Used by decodeIndex here (display
 * text) and re-exported by snmp/index-decode.ts (typed values).
 */

export interface Decoded<T> {
  value: T;
  next: number;
}

/** an index that ran short or holds a sub-identifier its syntax cannot take */
export class IndexDecodeError extends Error {}

/** `n` sub-identifiers from `pos`; `n` may come from a MIB's SIZE (`SIZE(-1)`, a name) and must be a count */
export function needArcs(arcs: number[], pos: number, n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new IndexDecodeError(`index: ${what}: ${n} is not a count of sub-identifiers`);
  if (pos + n > arcs.length) throw new IndexDecodeError(`index too short for ${what}: need ${n} arc(s) at position ${pos}, have ${arcs.length - pos}`);
}

function octet(arc: number, what: string): number {
  if (!Number.isInteger(arc) || arc < 0 || arc > 255) throw new IndexDecodeError(`${what}: arc ${arc} is not an octet`);
  return arc;
}

/** `length` arcs from `pos`, each an octet; `what` names the value in errors (`octetWhat` a bad octet's). */
export function decodeOctets(arcs: number[], length: number, pos: number, what: string, octetWhat = what): Decoded<Buffer> {
  needArcs(arcs, pos, length, what);
  return { value: Buffer.from(arcs.slice(pos, pos + length).map((a) => octet(a, octetWhat))), next: pos + length };
}

/** INTEGER / Unsigned32 / TimeTicks index: one arc. */
export function decodeInteger(arcs: number[], pos = 0): Decoded<number> {
  needArcs(arcs, pos, 1, 'integer');
  return { value: arcs[pos], next: pos + 1 };
}

/** Fixed-length OCTET STRING (SIZE(n)): n arcs, no length prefix. */
export function decodeFixedString(arcs: number[], length: number, pos = 0): Decoded<Buffer> {
  return decodeOctets(arcs, length, pos, `fixed string of ${length}`, 'string');
}

/** Variable-length OCTET STRING: a length arc then that many octets; IMPLIED: the rest of the index. */
export function decodeString(arcs: number[], pos = 0, implied = false): Decoded<Buffer> {
  if (implied) return decodeFixedString(arcs, arcs.length - pos, pos);
  needArcs(arcs, pos, 1, 'string length');
  return decodeFixedString(arcs, arcs[pos], pos + 1);
}

/** OBJECT IDENTIFIER index: a length arc then the arcs; IMPLIED: the rest of the index. */
export function decodeOidIndex(arcs: number[], pos = 0, implied = false): Decoded<string> {
  const len = implied ? arcs.length - pos : (needArcs(arcs, pos, 1, 'OID length'), arcs[pos]);
  const start = implied ? pos : pos + 1;
  needArcs(arcs, start, len, `OID of ${len} arcs`);
  return { value: arcs.slice(start, start + len).join('.'), next: start + len };
}

/** IpAddress index: four arcs, each an octet. */
export function decodeIpAddress(arcs: number[], pos = 0): Decoded<string> {
  const { value, next } = decodeOctets(arcs, 4, pos, 'IpAddress');
  return { value: value.join('.'), next };
}
