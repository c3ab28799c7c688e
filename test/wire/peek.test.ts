import { describe, expect, it } from 'vitest';
import { encodeCommunityMessage, encodeScopedPdu, peekResponse, type WireVarbind } from '../../src/snmp/wire/index.ts';

const vbs: WireVarbind[] = [
  { oid: '1.3.6.1.2.1.1.1.0', type: 'OctetString', value: Buffer.from('router') },
  { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 4200 },
  { oid: '1.3.6.1.2.1.2.2.1.10.100000', type: 'Counter32', value: 7 },
];
const pdu = (varbinds: WireVarbind[], errorStatus = 0) => ({ type: 'Response' as const, requestId: 4242, errorStatus, errorIndex: 0, varbinds });
const v2c = (varbinds: WireVarbind[], errorStatus = 0) => encodeCommunityMessage({ version: '2c', community: Buffer.from('pub'), pdu: pdu(varbinds, errorStatus) });
const scoped = (varbinds: WireVarbind[]) => encodeScopedPdu({ contextEngineId: Buffer.from('80001f88', 'hex'), contextName: Buffer.alloc(0), pdu: pdu(varbinds) });

describe('peekResponse (where an answer ends, before it is decoded)', () => {
  it.each([
    ['v2c message', v2c(vbs), false, { version: 1, pduTag: 0xa2, requestId: 4242, errorStatus: 0, varbinds: 3, tail: [{ oid: '1.3.6.1.2.1.2.2.1.10.100000', tag: 0x41 }] }],
    ['v2c error-status', v2c(vbs.slice(0, 1), 5), false, { errorStatus: 5, varbinds: 1, tail: [{ oid: '1.3.6.1.2.1.1.1.0', tag: 0x04 }] }],
    ['v2c empty list', v2c([]), false, { varbinds: 0, tail: [] }],
    ['endOfMibView last', v2c([{ oid: '1.3.6.1.9', type: 'EndOfMibView', value: null }]), false, { tail: [{ oid: '1.3.6.1.9', tag: 0x82 }] }],
    ['v3 scopedPDU', scoped(vbs), true, { pduTag: 0xa2, requestId: 4242, varbinds: 3, tail: [{ oid: '1.3.6.1.2.1.2.2.1.10.100000', tag: 0x41 }] }],
  ])('%s', (_, buf, isScoped, expected) => {
    expect(peekResponse(buf, isScoped)).toMatchObject(expected);
  });

  it('reads the last row: the last N varbinds in order, or fewer when the list is shorter', () => {
    expect(peekResponse(v2c(vbs), false, 2)?.tail.map((t) => t.oid)).toEqual(['1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.2.2.1.10.100000']);
    expect(peekResponse(v2c(vbs), false, 5)?.tail.map((t) => t.tag)).toEqual([0x04, 0x43, 0x41]);
  });

  it('gives the community of a v1/v2c message', () => {
    expect(peekResponse(v2c(vbs), false)?.community?.toString()).toBe('pub');
  });

  it.each([
    ['truncated', v2c(vbs).subarray(0, 40)],
    ['cut in the last varbind', v2c(vbs).subarray(0, v2c(vbs).length - 2)],
    ['not BER', Buffer.from('hello, agent')],
    ['empty', Buffer.alloc(0)],
  ])('gives undefined for a %s datagram, never throws', (_, buf) => {
    expect(peekResponse(buf, false)).toBeUndefined();
  });
});
