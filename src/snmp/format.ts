/**
 * Net-SNMP style text for varbinds, as `snmpwalk -On` prints them when no MIB display
 * hint applies: `.1.3.6.1.2.1.1.5.0 = STRING: "sw1"`. Pure functions.
 */
import type { Varbind } from './types.ts';
import { opaqueNumber } from './varbind.ts';

/** Turns a numeric OID (no leading dot) into display text; the OID dictionary can supply `SNMPv2-MIB::sysName.0`. */
export type OidFormatter = (oid: string) => string;

export const numericOid: OidFormatter = (oid) => '.' + oid;

/** Net-SNMP prints a string as text when every octet is printable or white space (a final NUL is tolerated). */
export function isPrintable(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    const printable = (b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d);
    if (!printable && !(b === 0 && i === buf.length - 1)) return false;
  }
  return true;
}

const HEX_OCTET = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0') + ' ');

/** `00 1A 2B ` — upper case, a space after each octet, a line break after every 16. */
export function hexString(buf: Buffer): string {
  let out = '';
  for (let i = 0; i < buf.length; i++) {
    out += HEX_OCTET[buf[i]];
    if (i % 16 === 15 && i !== buf.length - 1) out += '\n';
  }
  return out;
}

/** `(12345) 0:02:03.45`, `(8640000) 1 day, 0:00:00.00` */
export function timeticks(ticks: number): string {
  const cs = ticks % 100;
  let secs = Math.floor(ticks / 100);
  const days = Math.floor(secs / 86400);
  secs %= 86400;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const dayPart = days === 0 ? '' : days === 1 ? '1 day, ' : `${days} days, `;
  return `(${ticks}) ${dayPart}${h}:${two(m)}:${two(s)}.${two(cs)}`;
}

function asBuffer(v: Varbind['value']): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  return Buffer.alloc(0);
}

/** The right-hand side of `OID = ...`. */
export function formatValue(vb: Varbind, formatOid: OidFormatter = numericOid): string {
  switch (vb.type) {
    case 'Integer':
      return `INTEGER: ${vb.value}`;
    case 'OctetString': {
      const buf = asBuffer(vb.value);
      if (buf.length === 0) return '""';
      if (isPrintable(buf)) {
        let text = buf.toString('latin1', 0, buf[buf.length - 1] === 0 ? buf.length - 1 : buf.length);
        if (buf.indexOf(0x5c) >= 0 || buf.indexOf(0x22) >= 0) text = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
        return `STRING: "${text}"`;
      }
      return `Hex-STRING: ${hexString(buf)}`;
    }
    case 'Null':
      return 'NULL';
    case 'OID':
      return `OID: ${formatOid(String(vb.value))}`;
    case 'IpAddress':
      return `IpAddress: ${vb.value}`;
    case 'Counter32':
      return `Counter32: ${vb.value}`;
    case 'Gauge32':
      return `Gauge32: ${vb.value}`;
    case 'TimeTicks':
      return `Timeticks: ${timeticks(Number(vb.value))}`;
    case 'Counter64':
      return `Counter64: ${vb.value}`;
    case 'Opaque': {
      const buf = asBuffer(vb.value);
      const num = opaqueNumber(buf);
      return num ? `Opaque: ${num.kind}: ${num.value.toFixed(6)}` : `OPAQUE: ${hexString(buf)}`;
    }
    case 'Boolean':
      return `BOOLEAN: ${vb.value ? 'true' : 'false'}`;
    case 'BitString':
      return `BITS: ${hexString(asBuffer(vb.value))}`;
    case 'NoSuchObject':
      return 'No Such Object available on this agent at this OID';
    case 'NoSuchInstance':
      return 'No Such Instance currently exists at this OID';
    case 'EndOfMibView':
      return 'No more variables left in this MIB View (It is past the end of the MIB tree)';
  }
}

/** One output line (may contain line breaks for long Hex-STRINGs, like Net-SNMP). */
export function formatVarbind(vb: Varbind, formatOid: OidFormatter = numericOid): string {
  return `${formatOid(vb.oid)} = ${formatValue(vb, formatOid)}`;
}
