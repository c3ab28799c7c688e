/** Converts net-snmp's varbinds to netpulse's Varbind (Counter64 → bigint, type names). */
import snmp from 'net-snmp';
import type { NsVarbind } from 'net-snmp';
import type { Varbind, VarbindType } from './types.ts';

const TYPES: Record<number, VarbindType> = {
  [snmp.ObjectType.Boolean]: 'Boolean',
  [snmp.ObjectType.Integer]: 'Integer',
  [snmp.ObjectType.BitString]: 'BitString',
  [snmp.ObjectType.OctetString]: 'OctetString',
  [snmp.ObjectType.Null]: 'Null',
  [snmp.ObjectType.OID]: 'OID',
  [snmp.ObjectType.IpAddress]: 'IpAddress',
  [snmp.ObjectType.Counter]: 'Counter32',
  [snmp.ObjectType.Gauge]: 'Gauge32',
  [snmp.ObjectType.TimeTicks]: 'TimeTicks',
  [snmp.ObjectType.Opaque]: 'Opaque',
  [snmp.ObjectType.Counter64]: 'Counter64',
  [snmp.ObjectType.NoSuchObject]: 'NoSuchObject',
  [snmp.ObjectType.NoSuchInstance]: 'NoSuchInstance',
  [snmp.ObjectType.EndOfMibView]: 'EndOfMibView',
};

export const EXCEPTION_TYPES: ReadonlySet<VarbindType> = new Set(['NoSuchObject', 'NoSuchInstance', 'EndOfMibView']);

export function isException(vb: Varbind): boolean {
  return EXCEPTION_TYPES.has(vb.type);
}

/** Unsigned big-endian bytes → bigint (net-snmp hands Counter64 over as a Buffer of 1..9 bytes). */
export function bufferToBigint(buf: Buffer): bigint {
  let n = 0n;
  for (const b of buf) n = (n << 8n) | BigInt(b);
  return n & 0xffffffffffffffffn;
}

export function convertVarbind(vb: NsVarbind): Varbind {
  const type = TYPES[vb.type];
  if (!type) throw new Error(`unknown value type ${vb.type} at ${vb.oid}`);
  let value = vb.value as Varbind['value'];
  switch (type) {
    case 'Counter64':
      value = Buffer.isBuffer(vb.value) ? bufferToBigint(vb.value) : BigInt(vb.value as number);
      break;
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
    case 'Null':
      value = null;
      break;
    case 'OctetString':
    case 'Opaque':
      if (!Buffer.isBuffer(value)) value = Buffer.from(String(value ?? ''), 'latin1');
      break;
  }
  return { oid: vb.oid, type, value };
}

/**
 * Net-SNMP's Opaque-wrapped Float (9F 78 04 ...) and Double (9F 79 08 ...), as UCD-SNMP-MIB's
 * laLoadFloat uses; undefined for any other Opaque content.
 */
export function opaqueNumber(buf: Buffer): { kind: 'Float' | 'Double'; value: number } | undefined {
  if (buf.length === 7 && buf[0] === 0x9f && buf[1] === 0x78 && buf[2] === 4) return { kind: 'Float', value: buf.readFloatBE(3) };
  if (buf.length === 11 && buf[0] === 0x9f && buf[1] === 0x79 && buf[2] === 8) return { kind: 'Double', value: buf.readDoubleBE(3) };
  return undefined;
}
