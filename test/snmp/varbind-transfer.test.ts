/** Packing varbinds, table rows and errors for the trip from an SNMP thread (pure). */
import { describe, expect, it } from 'vitest';
import { NetpulseError } from '../../src/errors/index.ts';
import { SnmpWalkError } from '../../src/snmp/errors.ts';
import type { TableRow, Varbind } from '../../src/snmp/types.ts';
import { BYTE_VIEW_LIMIT, packError, packRows, packVarbinds, transferables, unpackError, unpackRows, unpackVarbinds } from '../../src/snmp/varbind-transfer.ts';

/** through a real structured clone with the byte buffer transferred, as postMessage does */
const trip = <T extends object>(p: T, transfer: ArrayBuffer[] = []): T => structuredClone(p, { transfer });

const CASES: [string, Varbind][] = [
  ['Integer', { oid: '1.3.6.1.2.1.2.2.1.7.1', type: 'Integer', value: -2147483648 }],
  ['OctetString', { oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: Buffer.from('core-sw1') }],
  ['empty OctetString', { oid: '1.3.6.1.2.1.1.4.0', type: 'OctetString', value: Buffer.alloc(0) }],
  ['binary OctetString (MAC)', { oid: '1.3.6.1.2.1.2.2.1.6.2', type: 'OctetString', value: Buffer.from([0, 0x1b, 0x21, 0xff, 0, 0x80]) }],
  ['Opaque', { oid: '1.3.6.1.4.1.2021.10.1.6.1', type: 'Opaque', value: Buffer.from([0x9f, 0x78, 4, 0x3f, 0x80, 0, 0]) }],
  ['BitString', { oid: '1.3.6.1.9.9.9', type: 'BitString', value: Buffer.from([0x80]) }],
  ['Null', { oid: '1.3.6.1.9.9.1', type: 'Null', value: null }],
  ['OID', { oid: '1.3.6.1.2.1.1.2.0', type: 'OID', value: '1.3.6.1.4.1.8072.3.2.10' }],
  ['IpAddress', { oid: '1.3.6.1.2.1.4.20.1.1.127.0.0.1', type: 'IpAddress', value: '127.0.0.1' }],
  ['Counter32 max', { oid: '1.3.6.1.2.1.2.2.1.10.1', type: 'Counter32', value: 4294967295 }],
  ['Gauge32', { oid: '1.3.6.1.2.1.2.2.1.5.1', type: 'Gauge32', value: 10000000 }],
  ['TimeTicks', { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 123456 }],
  ['Counter64 max', { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: 'Counter64', value: 18446744073709551615n }],
  ['Boolean', { oid: '1.3.6.1.9.9.2', type: 'Boolean', value: true }],
  ['noSuchObject', { oid: '1.3.6.1.2.1.1.99.0', type: 'NoSuchObject', value: null }],
  ['noSuchInstance', { oid: '1.3.6.1.2.1.1.5.1', type: 'NoSuchInstance', value: null }],
  ['endOfMibView', { oid: '1.3.6.1.6.3.16.2.2.1', type: 'EndOfMibView', value: null }],
];

describe('packVarbinds / unpackVarbinds', () => {
  it.each(CASES)('%s comes back equal', (_, vb) => {
    const p = packVarbinds([vb]);
    const [out] = unpackVarbinds(trip(p, transferables(p)));
    expect(out).toEqual(vb);
    if (Buffer.isBuffer(vb.value)) expect(Buffer.isBuffer(out.value)).toBe(true);
    else expect(typeof out.value).toBe(typeof vb.value);
  });

  it('a list of every kind keeps its order, and byte values do not run into each other', () => {
    const vbs = CASES.map(([, vb]) => vb);
    const many = [...vbs, ...vbs.slice().reverse()];
    const p = packVarbinds(many);
    expect(unpackVarbinds(trip(p, transferables(p)))).toEqual(many);
  });

  it('an empty list', () => {
    expect(unpackVarbinds(trip(packVarbinds([])))).toEqual([]);
  });

  it('a byte value that is a view into a larger buffer carries only its own bytes', () => {
    const datagram = Buffer.from('....sw1....');
    const p = packVarbinds([{ oid: '1.3.6.1.2.1.1.5.0', type: 'OctetString', value: datagram.subarray(4, 7) }]);
    expect(p.bytes.byteLength).toBe(3);
    expect(unpackVarbinds(trip(p))[0].value).toEqual(Buffer.from('sw1'));
  });

  it('byte values of a large answer are copied out: a kept value does not pin the whole transferred buffer', () => {
    const vbs: Varbind[] = Array.from({ length: 400 }, (_, i) => ({ oid: `1.3.6.1.2.1.31.1.1.1.18.${i + 1}`, type: 'OctetString', value: Buffer.from(`uplink-${i}`.padEnd(60, '.')) }));
    const p = packVarbinds(vbs);
    expect(p.bytes.byteLength).toBeGreaterThan(BYTE_VIEW_LIMIT);
    const out = unpackVarbinds(trip(p, transferables(p)));
    expect(out).toEqual(vbs);
    for (const vb of out) expect((vb.value as Buffer).buffer.byteLength).toBeLessThanOrEqual(8192);
  });

  it('byte values of a small answer stay views into its buffer', () => {
    const p = packVarbinds(CASES.map(([, vb]) => vb));
    const out = unpackVarbinds(trip(p, transferables(p)));
    const bytes = out.filter((vb) => Buffer.isBuffer(vb.value)).map((vb) => (vb.value as Buffer).buffer);
    expect(new Set(bytes).size).toBe(1);
  });

  it('an unknown type is refused', () => {
    expect(() => packVarbinds([{ oid: '1.3', type: 'Float' as never, value: 1 }])).toThrow(/unknown varbind type Float at 1\.3/);
  });
});

describe('packRows / unpackRows', () => {
  const row = (index: string, cols: [string, Varbind][]): TableRow => ({ index, values: new Map(cols) });
  it.each<[string, TableRow[]]>([
    ['no rows', []],
    ['one row, one column', [row('1', [['1.3.6.1.2.1.2.2.1.2', { oid: '1.3.6.1.2.1.2.2.1.2.1', type: 'OctetString', value: Buffer.from('lo') }]])]],
    ['rows with different columns (a sparse table)', [
      row('1', [
        ['1.3.6.1.2.1.2.2.1.2', { oid: '1.3.6.1.2.1.2.2.1.2.1', type: 'OctetString', value: Buffer.from('lo') }],
        ['1.3.6.1.2.1.31.1.1.1.6', { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: 'Counter64', value: 5n }],
      ]),
      row('2', [['1.3.6.1.2.1.2.2.1.2', { oid: '1.3.6.1.2.1.2.2.1.2.2', type: 'OctetString', value: Buffer.from('eth0') }]]),
      row('10.1.2.3', []),
    ]],
  ])('%s', (_, rows) => {
    const p = packRows(rows);
    expect(unpackRows(trip(p, transferables(p)))).toEqual(rows);
  });
});

describe('packError / unpackError', () => {
  it('a NetpulseError keeps its class, fields and message', () => {
    const e = new NetpulseError({ scope: 'snmp', target: 'agent 127.0.0.1:161', action: 'walk 1.3.6.1.2.1.2', reason: 'timeout after 1 retry', kind: 'timeout' });
    const out = unpackError(trip(packError(e))) as NetpulseError;
    expect(out).toBeInstanceOf(NetpulseError);
    expect({ message: out.message, scope: out.scope, target: out.target, action: out.action, reason: out.reason, kind: out.kind })
      .toEqual({ message: e.message, scope: 'snmp', target: 'agent 127.0.0.1:161', action: 'walk 1.3.6.1.2.1.2', reason: 'timeout after 1 retry', kind: 'timeout' });
  });

  it('a walk stopped by a guard rail keeps what it read', () => {
    const partial: Varbind[] = [{ oid: '1.3.6.1.2.1.1.1.0', type: 'OctetString', value: Buffer.from('Linux') }, { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 9 }];
    const e = new SnmpWalkError('agent 127.0.0.1:161', 'walk 1.3.6.1', 'stopped at 1.3.6.1.2.1.1.3.0 after 2 varbinds (cap 2)', 'walk-cap', partial);
    const out = unpackError(trip(packError(e))) as SnmpWalkError;
    expect(out).toBeInstanceOf(SnmpWalkError);
    expect(out.message).toBe(e.message);
    expect(out.kind).toBe('walk-cap');
    expect(out.partial).toEqual(partial);
  });

  it('a table walk\'s error keeps which columns had ended', () => {
    const e = new SnmpWalkError('agent 127.0.0.1:161', 'table 1.3.6.1.9.1,1.3.6.1.9.2', 'stopped (cap 2)', 'walk-cap', [], ['1.3.6.1.9.2']);
    expect((unpackError(trip(packError(e))) as SnmpWalkError).ended).toEqual(['1.3.6.1.9.2']);
  });

  it.each<[string, unknown, string, string]>([
    ['a TypeError', new TypeError('bad input'), 'TypeError', 'bad input'],
    ['a plain Error', new Error('boom'), 'Error', 'boom'],
    ['a thrown string', 'just text', 'Error', 'just text'],
  ])('%s becomes an Error with the same name and message', (_, thrown, name, message) => {
    const out = unpackError(trip(packError(thrown)));
    expect(out).toBeInstanceOf(Error);
    expect(out).not.toBeInstanceOf(NetpulseError);
    expect([out.name, out.message]).toEqual([name, message]);
  });
});
