/** Varbind → Sample field conversions (pure). */
import type { FieldValue } from '../model/sample.ts';
import type { Varbind } from '../snmp/types.ts';
import { isPrintable } from '../snmp/format.ts';

const ABSENT = new Set(['Null', 'NoSuchObject', 'NoSuchInstance', 'EndOfMibView']);

export function isPresent(vb: Varbind | undefined): vb is Varbind {
  return vb !== undefined && !ABSENT.has(vb.type) && vb.value !== null;
}

/** Octet strings as text when printable (trailing NULs dropped), else `aa:bb:cc` hex (MAC addresses, binary). */
export function octetText(value: Varbind['value']): string {
  if (Buffer.isBuffer(value)) {
    if (value.length === 0) return '';
    if (isPrintable(value)) return value.toString('latin1').replace(/\0+$/, '');
    return [...value].map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
  return value === null || value === undefined ? '' : String(value);
}

export function asText(vb: Varbind | undefined): string | undefined {
  if (!isPresent(vb)) return undefined;
  if (vb.type === 'OctetString' || vb.type === 'Opaque') return octetText(vb.value);
  return String(vb.value);
}

/** Integer-like values (INTEGER, Counter32/64, Gauge32, TimeTicks) as bigint. */
export function asBigInt(vb: Varbind | undefined): bigint | undefined {
  if (!isPresent(vb)) return undefined;
  const v = vb.value;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  return undefined;
}

export function asNumber(vb: Varbind | undefined): number | undefined {
  const b = asBigInt(vb);
  return b === undefined ? undefined : Number(b);
}

/** The natural field value: integers → bigint, strings → text, OIDs/IPs → text, booleans as is. */
export function asField(vb: Varbind | undefined): FieldValue | undefined {
  if (!isPresent(vb)) return undefined;
  switch (vb.type) {
    case 'Integer': case 'Counter32': case 'Gauge32': case 'TimeTicks': case 'Counter64':
      return asBigInt(vb);
    case 'Boolean':
      return Boolean(vb.value);
    default:
      return asText(vb);
  }
}
