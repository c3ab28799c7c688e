/**
 * snmpwalk-style rendering of a varbind value with the dictionary's knowledge of the object:
 * enum labels (`INTEGER: up(1)`), DISPLAY-HINTs, BITS labels, units, OIDs as names.
 */
import { formatIntegerHint, formatOctetHint } from './display-hint.ts';
import type { MibNode } from './types.ts';

/** The shape of src/snmp/types.ts Varbind, restated so the mib layer does not import snmp. */
export interface VarbindLike {
  type: string;
  value: number | bigint | Buffer | Uint8Array | string | boolean | null;
}

export function formatTimeTicks(ticks: number): string {
  const t = Math.max(0, Math.floor(ticks));
  const days = Math.floor(t / 8640000);
  const h = Math.floor((t / 360000) % 24);
  const m = Math.floor((t / 6000) % 60);
  const s = Math.floor((t / 100) % 60);
  const cs = t % 100;
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs).padStart(2, '0')}`;
  return `(${t}) ${days > 0 ? `${days} day${days === 1 ? '' : 's'}, ` : ''}${clock}`;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

function isPrintable(b: Uint8Array): boolean {
  for (const x of b) if ((x < 32 || x > 126) && x !== 9 && x !== 10 && x !== 13) return false;
  return true;
}

function toBytes(v: VarbindLike['value']): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  return new Uint8Array();
}

export function formatVarbindValue(vb: VarbindLike, node: MibNode | undefined, oidName: (oid: string) => string | undefined): string {
  const syn = node?.syntax;
  const units = node?.units ? ` ${node.units}` : '';
  const v = vb.value;
  switch (vb.type) {
    case 'Integer': {
      if (typeof v !== 'number' && typeof v !== 'bigint') return `INTEGER: ${String(v)}`;
      const label = syn?.enums?.find((e) => e.value === String(v))?.label;
      if (label) return `INTEGER: ${label}(${v})`;
      if (syn?.displayHint) {
        const h = formatIntegerHint(syn.displayHint, v);
        if (h !== undefined) return `INTEGER: ${h}${units}`;
      }
      return `INTEGER: ${v}${units}`;
    }
    case 'Counter32': return `Counter32: ${String(v)}${units}`;
    case 'Gauge32': {
      if (syn?.displayHint && (typeof v === 'number' || typeof v === 'bigint')) {
        const h = formatIntegerHint(syn.displayHint, v);
        if (h !== undefined) return `Gauge32: ${h}${units}`;
      }
      return `Gauge32: ${String(v)}${units}`;
    }
    case 'Counter64': return `Counter64: ${String(v)}${units}`;
    case 'TimeTicks': return `Timeticks: ${formatTimeTicks(Number(v))}`;
    case 'IpAddress': return `IpAddress: ${String(v)}`;
    case 'OID': {
      const s = String(v);
      return `OID: ${oidName(s) ?? '.' + s.replace(/^\./, '')}`;
    }
    case 'OctetString': case 'BitString': {
      const b = toBytes(v);
      if (syn?.base === 'BITS' && syn.bits) {
        const set: string[] = [];
        for (const bit of syn.bits) {
          const n = Number(bit.value);
          if (b[n >> 3] !== undefined && (b[n >> 3] & (0x80 >> (n & 7))) !== 0) set.push(`${bit.label}(${n})`);
        }
        return `BITS: ${hex(b)} ${set.join(' ')}`.trimEnd();
      }
      if (syn?.displayHint && b.length > 0) {
        const h = formatOctetHint(syn.displayHint, b);
        if (h !== undefined) return `STRING: ${h}${units}`;
      }
      if (b.length === 0) return 'STRING: ';
      if (isPrintable(b)) return `STRING: "${Buffer.from(b).toString('latin1')}"`;
      return `Hex-STRING: ${hex(b)}`;
    }
    case 'Opaque': return `Opaque: ${hex(toBytes(v))}`;
    case 'Boolean': return `BOOLEAN: ${String(v)}`;
    case 'Null': return 'NULL';
    case 'NoSuchObject': return 'No Such Object available on this agent at this OID';
    case 'NoSuchInstance': return 'No Such Instance currently exists at this OID';
    case 'EndOfMibView': return 'No more variables left in this MIB View (It is past the end of the MIB tree)';
    default: return `${vb.type}: ${String(v)}`;
  }
}
