// Varbind lists as the wire codec sees them, for tests of the fast decoder and of what walks do with its output.
import { BerReader, encodeCommunityMessage, type WireVarbind } from '../../src/snmp/wire/index.ts';
import { TYPE_BY_TAG } from '../../src/snmp/wire/message.ts';
import { decodeVarbindList } from '../../src/snmp/wire/varbind-list.ts';

/** the varbind list's content range inside an encoded Response */
export function listOf(msg: Buffer): { start: number; end: number } {
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

/** `varbinds` encoded in a v2c Response and decoded again by the fast decoder (with its ascending mark) */
export function overTheWire<T extends WireVarbind>(varbinds: T[]): T[] {
  const msg = encodeCommunityMessage({ version: '2c', community: Buffer.from('c'), pdu: { type: 'Response', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds } });
  const { start, end } = listOf(msg);
  return decodeVarbindList(new BerReader(msg, start, end), start, end, TYPE_BY_TAG)! as T[];
}
