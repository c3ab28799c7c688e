/**
 * The fast varbind-list decoder (src/snmp/wire/varbind-list.ts) must agree with the checked one
 * on every list it accepts, and hand everything else to it: checked on generated lists of
 * every value type with shared and unshared OID prefixes, then on thousands of corrupted ones.
 */
import { describe, expect, it } from 'vitest';
import { BerReader, encodeCommunityMessage, type WireVarbind } from '../../src/snmp/wire/index.ts';
import { readVarbindsChecked, TYPE_BY_TAG } from '../../src/snmp/wire/message.ts';
import { decodeVarbindList } from '../../src/snmp/wire/varbind-list.ts';
import { seededRandom } from '../seeded-random.ts';

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

/** the varbind list's content range inside an encoded Response */
function listOf(msg: Buffer): { start: number; end: number } {
  // message SEQ > version, community, PDU > request-id, error-status, error-index, varbind list SEQ
  const r = new BerReader(msg);
  const m = r.sequence();
  m.integer();
  m.octetString();
  const pdu = m.sequence(m.peekTag());
  pdu.integer();
  pdu.integer();
  pdu.integer();
  const h = pdu.header(0x30);
  return { start: h.start, end: h.end };
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
});
