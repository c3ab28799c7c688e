/**
 * The fast varbind-list decoder (src/snmp/wire/varbind-list.ts) must agree with the checked one
 * on every list it accepts, and hand everything else to it: checked on generated lists of
 * every value type with shared and unshared OID prefixes, then on thousands of corrupted ones.
 */
import { describe, expect, it } from 'vitest';
import { BerReader, encodeCommunityMessage, type WireVarbind } from '../../src/snmp/wire/index.ts';
import { readVarbindsChecked, TYPE_BY_TAG } from '../../src/snmp/wire/message.ts';
import { decodeVarbindList, isAscendingList } from '../../src/snmp/wire/varbind-list.ts';
import { compareOids } from '../../src/snmp/oid.ts';
import { seededRandom } from '../seeded-random.ts';
import { listOf, overTheWire } from './encoded-lists.ts';

const rng = seededRandom;

function randomVarbinds(r: () => number, n: number): WireVarbind[] {
  const base = [1, 3, 6, 1, 2, 1, Math.floor(r() * 40), 1];
  const out: WireVarbind[] = [];
  for (let i = 0; i < n; i++) {
    const arcs = r() < 0.7 ? [...base, i + 1, Math.floor(r() * 300)] : [r() < 0.5 ? 1 : 2, Math.floor(r() * 39), ...Array.from({ length: Math.floor(r() * 12) }, () => (r() < 0.1 ? 0xffffffff - Math.floor(r() * 9) : Math.floor(r() * (r() < 0.5 ? 200 : 70000))))];
    const oid = arcs.join('.');
    const k = Math.floor(r() * 13);
    const vb: WireVarbind =
      k === 0 ? { oid, type: 'Integer', value: Math.floor((r() - 0.5) * 2 ** 32) }
      : k === 1 ? { oid, type: 'OctetString', value: Buffer.from(Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 256))) }
      : k === 2 ? { oid, type: 'OID', value: `1.3.6.1.4.1.${Math.floor(r() * 99999)}.${Math.floor(r() * 5)}` }
      : k === 3 ? { oid, type: 'IpAddress', value: `${Math.floor(r() * 256)}.1.2.${Math.floor(r() * 256)}` }
      : k === 4 ? { oid, type: 'Counter32', value: Math.floor(r() * 2 ** 32) }
      : k === 5 ? { oid, type: 'Gauge32', value: Math.floor(r() * 2 ** 32) }
      : k === 6 ? { oid, type: 'TimeTicks', value: Math.floor(r() * 2 ** 32) }
      : k === 7 ? { oid, type: 'Counter64', value: BigInt(Math.floor(r() * 2 ** 53)) * BigInt(1 + Math.floor(r() * 2048)) }
      : k === 8 ? { oid, type: 'Null', value: null }
      : k === 9 ? { oid, type: 'EndOfMibView', value: null }
      : k === 10 ? { oid, type: 'NoSuchInstance', value: null }
      : k === 11 ? { oid, type: 'Opaque', value: Buffer.from([0x9f, 0x78, 4, 1, 2, 3, 4]) }
      : { oid, type: 'Integer', value: Math.floor(r() * 100) };
    out.push(vb);
  }
  return out;
}

function both(buf: Buffer, start: number, end: number) {
  let fast: WireVarbind[] | undefined;
  try {
    fast = decodeVarbindList(new BerReader(buf, start, end), start, end, TYPE_BY_TAG);
  } catch {
    fast = undefined;
  }
  let checked: WireVarbind[] | Error;
  try {
    checked = readVarbindsChecked(new BerReader(buf, start, end));
  } catch (err) {
    checked = err as Error;
  }
  return { fast, checked };
}

describe('fast varbind-list decoder', () => {
  it('decodes generated lists exactly as the checked decoder does', () => {
    const r = rng(42);
    for (let t = 0; t < 300; t++) {
      const varbinds = randomVarbinds(r, 1 + Math.floor(r() * 40));
      const msg = encodeCommunityMessage({ version: '2c', community: Buffer.from('c'), pdu: { type: 'Response', requestId: t, errorStatus: 0, errorIndex: 0, varbinds } });
      const { start, end } = listOf(msg);
      const { fast, checked } = both(msg, start, end);
      expect(fast, `list ${t}`).toBeDefined();
      expect(fast).toEqual(checked);
      expect(fast!.map((v) => v.oid)).toEqual(varbinds.map((v) => v.oid));
    }
  });

  it('on corrupted lists it either agrees with the checked decoder or hands the list over', () => {
    const r = rng(7);
    let accepted = 0;
    for (let t = 0; t < 3000; t++) {
      const varbinds = randomVarbinds(r, 1 + Math.floor(r() * 8));
      const msg = Buffer.from(encodeCommunityMessage({ version: '2c', community: Buffer.from('c'), pdu: { type: 'Response', requestId: t, errorStatus: 0, errorIndex: 0, varbinds } }));
      const { start, end } = listOf(msg);
      for (let f = 0, flips = 1 + Math.floor(r() * 3); f < flips; f++) msg[start + Math.floor(r() * (end - start))] = Math.floor(r() * 256);
      const cut = r() < 0.3 ? start + Math.floor(r() * (end - start)) : end;
      const { fast, checked } = both(msg, start, cut);
      if (fast === undefined) continue;
      accepted++;
      expect(checked).not.toBeInstanceOf(Error);
      expect(fast).toEqual(checked);
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('marks a list ascending exactly when each OID sorts after the one before', () => {
    const decode = (oids: string[]) => overTheWire(oids.map((oid): WireVarbind => ({ oid, type: 'Null', value: null })));
    const cases: [string[], boolean][] = [
      [['1.3.6.1.2.1.1.1.0'], true],
      [['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0'], true],
      [['1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.1.0'], false],
      [['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.1.0'], false], // repeated
      [['1.3.6.1.2.1.1', '1.3.6.1.2.1.1.0'], true], // a prefix sorts first
      [['1.3.6.1.2.1.1.0', '1.3.6.1.2.1.1'], false],
      [['1.3.6.1.4.1.127', '1.3.6.1.4.1.128'], true], // one-byte arc to two-byte arc
      [['1.3.6.1.4.1.128', '1.3.6.1.4.1.127'], false],
      [['1.3.6.1.4.1.128', '1.3.6.1.4.1.129'], true], // same lead byte, last byte differs
      [['1.3.6.1.4.1.255', '1.3.6.1.4.1.256'], true], // lead byte differs
      [['1.3.6.1.4.1.16383', '1.3.6.1.4.1.16384'], true],
      [['1.3.6.1.4.1.4294967294', '1.3.6.1.4.1.4294967295'], true],
      [['1.3.6.1.4.1.4294967295', '1.3.6.1.4.1.4294967295.0'], true],
      [['1.3.6.1.4.1.2.1', '1.3.6.1.4.1.10'], true],
      [['1.3.6.1.4.1.10', '1.3.6.1.4.1.2.1'], false],
      [['1.3.99', '2.1'], true], // first byte holds two arcs
      [['2.100', '2.39'], false],
      [['2.39', '2.100'], true],
      [['0.9', '1.0', '1.39', '2.0', '2.5000'], true],
      [['1.3.6.1.2.1.2.2.1.1.1', '1.3.6.1.2.1.2.2.1.1.2', '1.3.6.1.2.1.2.2.1.1.2'], false], // one step back in a longer list
    ];
    for (const [oids, expected] of cases) expect(isAscendingList(decode(oids)), oids.join(' < ')).toBe(expected);

    // generated sequences: the mark agrees with comparing every pair of neighbours
    const r = rng(11);
    for (let t = 0; t < 2000; t++) {
      const arcs = () => [1, 3, 6, 1, 4, 1, ...Array.from({ length: 1 + Math.floor(r() * 4) }, () => [0, 1, 127, 128, 129, 255, 256, 16383, 16384, 4294967295][Math.floor(r() * 10)])];
      const oids = Array.from({ length: 2 + Math.floor(r() * 4) }, () => arcs().join('.'));
      if (r() < 0.5) oids.sort(compareOids);
      const truth = oids.every((o, i) => i === 0 || compareOids(o, oids[i - 1]) > 0);
      expect(isAscendingList(decode(oids)), oids.join(' ')).toBe(truth);
    }
  });

  it('does not vouch for a list changed after decoding, or for non-canonical arcs', () => {
    const list = overTheWire(['1.3.6.1.1', '1.3.6.1.2'].map((oid): WireVarbind => ({ oid, type: 'Null', value: null })));
    expect(isAscendingList(list)).toBe(true);
    list.push({ oid: '1.3.6.1.0', type: 'Null', value: null });
    expect(isAscendingList(list)).toBe(false);
    // .1.3.6.1.7 then .1.3.6.1.(0x80 0x06 = 6, padded): out of order, and the padded arc's longer
    // encoding would read as the larger one: a non-canonical arc is never vouched for
    const padded = Buffer.from([0x30, 0x08, 0x06, 0x04, 0x2b, 0x06, 0x01, 0x07, 0x05, 0x00, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x06, 0x01, 0x80, 0x06, 0x05, 0x00]);
    const r = decodeVarbindList(new BerReader(padded, 0, padded.length), 0, padded.length, TYPE_BY_TAG);
    expect(r?.map((v) => v.oid)).toEqual(['1.3.6.1.7', '1.3.6.1.6']);
    expect(isAscendingList(r!)).toBe(false);
  });
});
