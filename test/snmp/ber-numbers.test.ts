/**
 * Integer32 and the unsigned 32-bit types as the wire codec decodes them, case by case: what fits
 * is read as Net-SNMP reads it, anything longer is a decode error naming the varbind. Both the
 * fast list decoder and the checked one (its fallback) are held to the same answer.
 */
import { describe, expect, it } from 'vitest';
import { BerReader, decodeMessage } from '../../src/snmp/wire/index.ts';
import { TYPE_BY_TAG } from '../../src/snmp/wire/message.ts';
import { decodeVarbindList } from '../../src/snmp/wire/varbind-list.ts';
import { listOf } from '../wire/encoded-lists.ts';

const NAME = [0x2b, 6, 1, 2, 1, 1, 3, 0]; // 1.3.6.1.2.1.1.3.0

/** a v2c Response with one varbind whose value is the raw TLV given */
function response(valueTlv: number[]): Buffer {
  const vb = [0x06, NAME.length, ...NAME, ...valueTlv];
  const list = [0x30, vb.length + 2, 0x30, vb.length, ...vb];
  const pdu = [0x02, 1, 1, 0x02, 1, 0, 0x02, 1, 0, ...list];
  const body = [0x02, 1, 1, 0x04, 6, ...Buffer.from('public'), 0xa2, pdu.length, ...pdu];
  return Buffer.from([0x30, body.length, ...body]);
}

const C32 = 0x41, G32 = 0x42, TT = 0x43, INT = 0x02;

describe('32-bit numbers in varbinds', () => {
  it.each<[string, number[], number | RegExp]>([
    ['Counter32 ff ff ff ff', [C32, 4, 0xff, 0xff, 0xff, 0xff], 4294967295],
    ['Counter32 00 ff ff ff ff', [C32, 5, 0, 0xff, 0xff, 0xff, 0xff], 4294967295],
    ['Counter32 00 00 00 00 01', [C32, 5, 0, 0, 0, 0, 1], 1],
    ['Gauge32 80 (sign-extended, as Net-SNMP)', [G32, 1, 0x80], 4294967168],
    ['TimeTicks 00', [TT, 1, 0], 0],
    ['Counter32 80 00 00 00 00', [C32, 5, 0x80, 0, 0, 0, 0], /Counter32 is 5 bytes, exceeds 32 bits \(value of 1\.3\.6\.1\.2\.1\.1\.3\.0\)/],
    ['Counter32 ff 00 00 00 01', [C32, 5, 0xff, 0, 0, 0, 1], /Counter32 is 5 bytes, exceeds 32 bits/],
    ['Gauge32 00 00 ff ff ff ff', [G32, 6, 0, 0, 0xff, 0xff, 0xff, 0xff], /Gauge32 is 6 bytes, exceeds 32 bits/],
    ['TimeTicks 01 00 00 00 00 00', [TT, 6, 1, 0, 0, 0, 0, 0], /TimeTicks is 6 bytes, exceeds 32 bits/],
    ['Counter32 of no bytes', [C32, 0], /Counter32 has zero length/],
    ['Integer 7f ff ff ff', [INT, 4, 0x7f, 0xff, 0xff, 0xff], 2147483647],
    ['Integer 80 00 00 00', [INT, 4, 0x80, 0, 0, 0], -2147483648],
    ['Integer ff ff ff ff fe (redundant sign byte)', [INT, 5, 0xff, 0xff, 0xff, 0xff, 0xfe], -2],
    ['Integer 00 00 00 00 05 (redundant zeros)', [INT, 5, 0, 0, 0, 0, 5], 5],
    ['Integer 00 80 00 00 00 (2^31)', [INT, 5, 0, 0x80, 0, 0, 0], /Integer is 5 bytes, exceeds 32 bits \(value of 1\.3\.6\.1\.2\.1\.1\.3\.0\)/],
    // padding of any length is read when the value fits 32 bits (Net-SNMP would truncate the rest: a wrong value)
    ['Integer 00 00 00 00 00 00 05 (7 bytes, redundant zeros)', [INT, 7, 0, 0, 0, 0, 0, 0, 5], 5],
    ['Integer ff ff ff ff 80 00 00 00 (-2^31 sign-extended to 8 bytes)', [INT, 8, 0xff, 0xff, 0xff, 0xff, 0x80, 0, 0, 0], -2147483648],
    ['Integer 00 00 00 7f ff ff ff (2^31 - 1 padded)', [INT, 7, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff], 2147483647],
    ['Integer ff 7f ff ff ff (-2^31 - 1)', [INT, 5, 0xff, 0x7f, 0xff, 0xff, 0xff], /Integer is 5 bytes, exceeds 32 bits/],
    ['Integer 00 00 01 00 00 00 00 (2^32)', [INT, 7, 0, 0, 1, 0, 0, 0, 0], /Integer is 7 bytes, exceeds 32 bits/],
    ['Integer 7f ff ff ff ff ff', [INT, 6, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff], /Integer is 6 bytes, exceeds 32 bits/],
    ['Integer ff ff 80 00 00 00 00', [INT, 7, 0xff, 0xff, 0x80, 0, 0, 0, 0], /Integer is 7 bytes, exceeds 32 bits/],
  ])('%s', (_name, tlv, expected) => {
    const msg = response(tlv);
    const d = decodeMessage(msg);
    const { start, end } = listOf(msg);
    let fast: unknown;
    try {
      fast = decodeVarbindList(new BerReader(msg, start, end), start, end, TYPE_BY_TAG)?.[0]?.value;
    } catch {
      fast = undefined; // a decode error: the checked decoder says what it is
    }
    if (typeof expected === 'number') {
      expect(d.ok && d.value.version !== '3' && d.value.pdu.varbinds[0].value).toBe(expected);
      // the fast decoder leaves unusual encodings (padding) to the checked one
      if (fast !== undefined || tlv[1] <= 4) expect(fast).toBe(expected);
    } else {
      expect(d.ok ? 'decoded' : d.error.reason).toMatch(expected);
      expect(fast).toBeUndefined();
    }
  });
});
