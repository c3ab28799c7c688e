/**
 * Pure decoders for table row indexes (the OID suffix after a column OID), per the
 * SMIv2 INDEX encoding rules (RFC 2578 section 7.7). Each decoder takes the arcs and
 * a position and returns the value and the next position, so composite indexes
 * (e.g. ipNetToMediaTable: INTEGER + IpAddress) decode by chaining.
 */
import { MAX_ARC } from './oid.ts';

export interface Decoded<T> {
  value: T;
  next: number;
}

function need(arcs: number[], pos: number, n: number, what: string): void {
  if (pos + n > arcs.length) throw new Error(`index too short for ${what}: need ${n} arc(s) at position ${pos}, have ${arcs.length - pos}`);
}

function octet(arc: number, what: string): number {
  if (!Number.isInteger(arc) || arc < 0 || arc > 255) throw new Error(`${what}: arc ${arc} is not an octet`);
  return arc;
}

export function parseIndexArcs(index: string): number[] {
  if (index === '') return [];
  return index.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Error(`index "${cut(index)}" is not dotted numbers`);
    const n = Number(a);
    // a longer run of digits is no index (and can read as Infinity)
    if (n > MAX_ARC) throw new Error(`index "${cut(index)}" has a sub-identifier above ${MAX_ARC}`);
    return n;
  });
}

const cut = (s: string) => (s.length > 64 ? `${s.slice(0, 64)}...` : s);

/** INTEGER / Unsigned32 / TimeTicks index: one arc. */
export function decodeInteger(arcs: number[], pos = 0): Decoded<number> {
  need(arcs, pos, 1, 'integer');
  return { value: arcs[pos], next: pos + 1 };
}

/** Fixed-length OCTET STRING (SIZE(n)): n arcs, no length prefix. */
export function decodeFixedString(arcs: number[], length: number, pos = 0): Decoded<Buffer> {
  need(arcs, pos, length, `fixed string of ${length}`);
  return { value: Buffer.from(arcs.slice(pos, pos + length).map((a) => octet(a, 'string'))), next: pos + length };
}

/** Variable-length OCTET STRING: a length arc then that many octets; IMPLIED: the rest of the index. */
export function decodeString(arcs: number[], pos = 0, implied = false): Decoded<Buffer> {
  if (implied) return decodeFixedString(arcs, arcs.length - pos, pos);
  need(arcs, pos, 1, 'string length');
  return decodeFixedString(arcs, arcs[pos], pos + 1);
}

/** OBJECT IDENTIFIER index: a length arc then the arcs; IMPLIED: the rest of the index. */
export function decodeOidIndex(arcs: number[], pos = 0, implied = false): Decoded<string> {
  const len = implied ? arcs.length - pos : (need(arcs, pos, 1, 'OID length'), arcs[pos]);
  const start = implied ? pos : pos + 1;
  need(arcs, start, len, `OID of ${len} arcs`);
  return { value: arcs.slice(start, start + len).join('.'), next: start + len };
}

/** IpAddress index: four arcs. */
export function decodeIpAddress(arcs: number[], pos = 0): Decoded<string> {
  need(arcs, pos, 4, 'IpAddress');
  return { value: arcs.slice(pos, pos + 4).map((a) => octet(a, 'IpAddress')).join('.'), next: pos + 4 };
}

/** MacAddress / PhysAddress of fixed size 6: six arcs, printed `00:1a:2b:3c:4d:5e`. */
export function decodeMac(arcs: number[], pos = 0): Decoded<string> {
  need(arcs, pos, 6, 'MAC address');
  const hex = arcs.slice(pos, pos + 6).map((a) => octet(a, 'MAC address').toString(16).padStart(2, '0'));
  return { value: hex.join(':'), next: pos + 6 };
}

/**
 * InetAddress index preceded by its InetAddressType (INET-ADDRESS-MIB): type arc, length
 * arc, octets. Returns the textual address (IPv4 dotted, IPv6 compressed-free hex groups).
 */
export function decodeInetAddress(arcs: number[], pos = 0): Decoded<{ type: number; address: string }> {
  need(arcs, pos, 1, 'InetAddressType');
  const type = arcs[pos];
  const { value, next } = decodeString(arcs, pos + 1);
  let address: string;
  if ((type === 1 && value.length === 4)) address = [...value].join('.');
  else if (type === 2 && value.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(value.readUInt16BE(i).toString(16));
    address = groups.join(':');
  } else address = value.toString('hex');
  return { value: { type, address }, next };
}

/** Printable ASCII when every octet is printable, otherwise undefined. */
export function asciiOrUndefined(buf: Buffer): string | undefined {
  for (const b of buf) if (b < 0x20 || b > 0x7e) return undefined;
  return buf.toString('latin1');
}
