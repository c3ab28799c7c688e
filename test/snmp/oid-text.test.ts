/**
 * OID text as the wire codec writes it from BER (decodeOid for names and OID values, the fast
 * list decoder for names that share a prefix with the one before), case by case: first-arc
 * splits, 32-bit arcs, and OIDs longer than the kept text scratch.
 */
import { describe, expect, it } from 'vitest';
import { BerReader, decodeOid, encodeOidContent } from '../../src/snmp/wire/ber.ts';
import { overTheWire } from '../wire/encoded-lists.ts';

const long = (arcs: number) => ['1', '3', ...Array.from({ length: arcs }, (_, i) => String((i * 14316557) % 2 ** 32))].join('.');

describe('OID text from BER', () => {
  it.each<[string, string]>([
    ['0.0 (first byte 0)', '0.0'],
    ['0.39', '0.39'],
    ['1.0 (first byte 40)', '1.0'],
    ['1.39', '1.39'],
    ['2.0 (first byte 80)', '2.0'],
    ['2.999 (first arc spans two bytes)', '2.999'],
    ['2.4294967215 (largest first sub-identifier)', '2.4294967215'],
    ['arc 4294967295', '1.3.6.1.2.1.2.2.1.2.4294967295'],
    ['digits 9 and 10 at arc boundaries', '1.3.9.10.99.100.999.1000'],
    ['300 arcs', long(300)],
    ['3,000 arcs (beyond the kept scratch)', long(3000)],
  ])('%s', (_name, oid) => {
    const ber = encodeOidContent(oid.split('.').map(Number));
    expect(decodeOid(new BerReader(ber), 0, ber.length)).toBe(oid);
  });

  it('names sharing prefixes of every length, in order and not, decode the same in the fast and the checked decoder', () => {
    const oids = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.10.0', '1.3.6.1.2.1.1.9.0', '1.3.6.1.2.1.1', '1.3.6.1.2.1.1.1.0.5', '1.3.6.2', '2.5.1', '1.3.6.1.2.1.1.1.0', long(120)];
    const varbinds = oids.map((oid) => ({ oid, type: 'Integer' as const, value: 1 }));
    expect(overTheWire(varbinds).map((v) => v.oid)).toEqual(oids);
  });

  it('an OID value decodes to its text', () => {
    const [vb] = overTheWire([{ oid: '1.3.6.1.2.1.1.2.0', type: 'OID', value: '1.3.6.1.4.1.4294967295.0' }]);
    expect(vb.value).toBe('1.3.6.1.4.1.4294967295.0');
  });
});
