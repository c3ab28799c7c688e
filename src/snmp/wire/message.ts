import {
  BerReader, BerWriter, TAG, WireDecodeError, decodeOid, encodeOidContent, parseOid, readSigned, readUnsigned64,
} from './ber.ts';
import {
  PDU_BY_TAG, PDU_TAG,
  type AnyPdu, type CommunityMessage, type DecodeResult, type ScopedPdu, type SnmpMessage,
  type UsmSecurityParameters, type V3Message, type WireVarbind,
} from './types.ts';
import type { VarbindType } from '../types.ts';
import { decodeVarbindList } from './varbind-list.ts';

const TYPE_BY_TAG: Record<number, VarbindType> = {
  [TAG.Integer]: 'Integer', [TAG.OctetString]: 'OctetString', [TAG.Null]: 'Null', [TAG.OID]: 'OID',
  [TAG.IpAddress]: 'IpAddress', [TAG.Counter32]: 'Counter32', [TAG.Gauge32]: 'Gauge32',
  [TAG.TimeTicks]: 'TimeTicks', [TAG.Opaque]: 'Opaque', [TAG.Counter64]: 'Counter64',
  [TAG.NoSuchObject]: 'NoSuchObject', [TAG.NoSuchInstance]: 'NoSuchInstance', [TAG.EndOfMibView]: 'EndOfMibView',
  0x01: 'Boolean', 0x03: 'BitString',
};

function wrapDecode<T>(fn: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof WireDecodeError) return { ok: false, error: { kind: 'malformed', reason: err.reason, offset: err.offset } };
    return { ok: false, error: { kind: 'malformed', reason: `decoder failure: ${(err as Error).message}`, offset: 0 } };
  }
}

function readVarbind(r: BerReader): WireVarbind {
  const vb = r.sequence(TAG.Sequence, 'varbind');
  const oh = vb.header(TAG.OID, 'varbind name');
  const oid = decodeOid(vb, oh.start, oh.end);
  vb.pos = oh.end;
  try {
    return readValue(vb, oid);
  } catch (err) {
    // the OID goes into the message only on failure: no string building per varbind
    if (err instanceof WireDecodeError) throw new WireDecodeError(`${err.reason} (value of ${oid})`, err.offset);
    throw err;
  }
}

function readValue(vb: BerReader, oid: string): WireVarbind {
  const h = vb.header(undefined, 'value');
  vb.pos = h.end;
  const type = TYPE_BY_TAG[h.tag];
  if (!type) vb.fail(`unknown value type 0x${h.tag.toString(16)}`);
  let value: WireVarbind['value'];
  switch (h.tag) {
    case TAG.Integer:
      value = readSigned(vb, h.start, h.end, type);
      break;
    case TAG.OctetString: case TAG.Opaque: case 0x03:
      value = vb.buf.subarray(h.start, h.end);
      break;
    case TAG.OID:
      value = decodeOid(vb, h.start, h.end);
      break;
    case TAG.IpAddress:
      if (h.end - h.start !== 4) vb.fail(`IpAddress has ${h.end - h.start} bytes, expected 4`);
      value = `${vb.buf[h.start]}.${vb.buf[h.start + 1]}.${vb.buf[h.start + 2]}.${vb.buf[h.start + 3]}`;
      break;
    case TAG.Counter32: case TAG.Gauge32: case TAG.TimeTicks:
      value = vb.unsigned32(h, type);
      break;
    case TAG.Counter64:
      value = readUnsigned64(vb, h.start, h.end, type);
      break;
    case 0x01:
      value = h.end > h.start && vb.buf[h.start] !== 0;
      break;
    default:
      value = null;
  }
  return { oid, type, value };
}

function readVarbinds(r: BerReader): WireVarbind[] {
  const list = r.sequence(TAG.Sequence, 'varbind list');
  try {
    const fast = decodeVarbindList(list, list.pos, list.end, TYPE_BY_TAG);
    if (fast) return fast;
  } catch {
    // the checked decoder below says what is wrong and where
  }
  return readVarbindsChecked(list);
}

/** The varbind list, every field checked (errors name the varbind); varbind-list.ts is the fast path. */
export function readVarbindsChecked(list: BerReader): WireVarbind[] {
  const out: WireVarbind[] = [];
  while (list.remaining > 0) out.push(readVarbind(list));
  return out;
}

export { TYPE_BY_TAG };

function readPdu(r: BerReader): AnyPdu {
  const tag = r.peekTag();
  const type = PDU_BY_TAG[tag];
  if (!type) r.fail(`unknown PDU type 0x${tag.toString(16)}`);
  const p = r.sequence(tag, `${type} PDU`);
  if (type === 'TrapV1') {
    const eh = p.header(TAG.OID, 'enterprise');
    const enterprise = decodeOid(p, eh.start, eh.end);
    p.pos = eh.end;
    const ah = p.header(TAG.IpAddress, 'agent-addr');
    if (ah.end - ah.start !== 4) p.fail(`agent-addr has ${ah.end - ah.start} bytes, expected 4`);
    const agentAddr = Array.from(p.buf.subarray(ah.start, ah.end)).join('.');
    p.pos = ah.end;
    const genericTrap = p.integer('generic-trap');
    const specificTrap = p.integer('specific-trap');
    const th = p.header(TAG.TimeTicks, 'time-stamp');
    p.pos = th.end;
    const timestamp = p.unsigned32(th, 'time-stamp');
    const varbinds = readVarbinds(p);
    return { type, enterprise, agentAddr, genericTrap, specificTrap, timestamp, varbinds };
  }
  const requestId = p.integer('request-id');
  const errorStatus = p.integer(type === 'GetBulkRequest' ? 'non-repeaters' : 'error-status');
  const errorIndex = p.integer(type === 'GetBulkRequest' ? 'max-repetitions' : 'error-index');
  const varbinds = readVarbinds(p);
  return { type, requestId, errorStatus, errorIndex, varbinds };
}

function readScopedPdu(r: BerReader): ScopedPdu {
  const s = r.sequence(TAG.Sequence, 'scopedPDU');
  const contextEngineId = s.octetString('contextEngineID');
  const contextName = s.octetString('contextName');
  const pdu = readPdu(s);
  return { contextEngineId, contextName, pdu };
}

/** Decodes a plaintext scopedPDU (after decryption; trailing DES padding is ignored). */
export function decodeScopedPdu(buf: Buffer): DecodeResult<ScopedPdu> {
  return wrapDecode(() => readScopedPdu(new BerReader(buf)));
}

/** Decodes any SNMP datagram (v1, v2c, v3). Never throws. v3 messages are returned as framed; see usm.ts. */
export function decodeMessage(buf: Buffer): DecodeResult<SnmpMessage> {
  return wrapDecode(() => {
    const top = new BerReader(buf);
    const m = top.sequence(TAG.Sequence, 'message');
    if (top.remaining > 0) top.fail(`${top.remaining} trailing bytes after the message`);
    const version = m.integer('msgVersion');
    if (version === 0 || version === 1) {
      const community = m.octetString('community');
      const pdu = readPdu(m);
      if (m.remaining > 0) m.fail('trailing bytes inside the message');
      if (version === 1 && pdu.type === 'TrapV1') m.fail('v1 Trap PDU in an SNMPv2c message');
      return { version: version === 0 ? '1' : '2c', community, pdu } satisfies CommunityMessage;
    }
    if (version !== 3) m.fail(`unsupported SNMP version ${version}`);
    const g = m.sequence(TAG.Sequence, 'msgGlobalData');
    const msgId = g.integer('msgID');
    const msgMaxSize = g.integer('msgMaxSize');
    const flagsBuf = g.octetString('msgFlags');
    if (flagsBuf.length !== 1) g.fail(`msgFlags is ${flagsBuf.length} bytes, expected 1`);
    const securityModel = g.integer('msgSecurityModel');
    const f = flagsBuf[0];
    const flags = { auth: (f & 1) !== 0, priv: (f & 2) !== 0, reportable: (f & 4) !== 0 };
    if (flags.priv && !flags.auth) g.fail('msgFlags has priv without auth');
    const sh = m.header(TAG.OctetString, 'msgSecurityParameters');
    m.pos = sh.end;
    if (securityModel !== 3) m.fail(`unsupported security model ${securityModel}`);
    let usm: UsmSecurityParameters;
    let authParamsOffset = -1;
    {
      const outer = new BerReader(buf, sh.start, sh.end);
      const s = outer.sequence(TAG.Sequence, 'UsmSecurityParameters');
      const engineId = s.octetString('msgAuthoritativeEngineID');
      const engineBoots = s.integer('msgAuthoritativeEngineBoots');
      const engineTime = s.integer('msgAuthoritativeEngineTime');
      const userName = s.octetString('msgUserName');
      const ah = s.header(TAG.OctetString, 'msgAuthenticationParameters');
      s.pos = ah.end;
      authParamsOffset = ah.start;
      const authParams = buf.subarray(ah.start, ah.end);
      const privParams = s.octetString('msgPrivacyParameters');
      usm = { engineId, engineBoots, engineTime, userName, authParams, privParams };
    }
    const msg: V3Message = { version: '3', msgId, msgMaxSize, flags, securityModel, usm, raw: buf, authParamsOffset };
    if (m.peekTag() === TAG.OctetString) msg.encryptedPdu = m.octetString('encryptedPDU');
    else msg.scopedPdu = readScopedPdu(m);
    if (m.remaining > 0) m.fail('trailing bytes inside the message');
    return msg;
  });
}

const oidCache = new Map<string, Buffer>();

export function oidToBer(oid: string): Buffer {
  let b = oidCache.get(oid);
  if (b) return b;
  const arcs = parseOid(oid);
  if (!arcs) throw new Error(`invalid OID "${oid}"`);
  b = encodeOidContent(arcs);
  if (oidCache.size > 50_000) oidCache.clear();
  oidCache.set(oid, b);
  return b;
}

function writeValue(w: BerWriter, vb: WireVarbind): void {
  const v = vb.value;
  switch (vb.type) {
    case 'Integer': w.integer(Number(v ?? 0)); break;
    case 'OctetString': w.tlv(TAG.OctetString, typeof v === 'string' ? Buffer.from(v) : (v as Buffer) ?? Buffer.alloc(0)); break;
    case 'Opaque': w.tlv(TAG.Opaque, (v as Buffer) ?? Buffer.alloc(0)); break;
    case 'BitString': w.tlv(0x03, (v as Buffer) ?? Buffer.alloc(0)); break;
    case 'Boolean': w.tlv(0x01, Buffer.from([v ? 0xff : 0])); break;
    case 'Null': w.null(); break;
    case 'OID': w.tlv(TAG.OID, oidToBer(String(v))); break;
    case 'IpAddress': {
      const parts = String(v).split('.').map(Number);
      w.tlv(TAG.IpAddress, Buffer.from(parts.length === 4 ? parts : [0, 0, 0, 0]));
      break;
    }
    case 'Counter32': w.uint32(Number(v), TAG.Counter32); break;
    case 'Gauge32': w.uint32(Number(v), TAG.Gauge32); break;
    case 'TimeTicks': w.uint32(Number(v), TAG.TimeTicks); break;
    case 'Counter64': w.unsigned(typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))), TAG.Counter64); break;
    case 'NoSuchObject': w.null(TAG.NoSuchObject); break;
    case 'NoSuchInstance': w.null(TAG.NoSuchInstance); break;
    case 'EndOfMibView': w.null(TAG.EndOfMibView); break;
  }
}

function writeVarbinds(w: BerWriter, vbs: readonly WireVarbind[]): void {
  const m = w.mark;
  for (let i = vbs.length - 1; i >= 0; i--) {
    const vb = vbs[i];
    const vm = w.mark;
    writeValue(w, vb);
    w.tlv(TAG.OID, vb.oidBer ?? oidToBer(vb.oid));
    w.wrap(TAG.Sequence, vm);
  }
  w.wrap(TAG.Sequence, m);
}

export function writePdu(w: BerWriter, pdu: AnyPdu): void {
  const m = w.mark;
  writeVarbinds(w, pdu.varbinds);
  if (pdu.type === 'TrapV1') {
    w.uint32(pdu.timestamp, TAG.TimeTicks);
    w.integer(pdu.specificTrap);
    w.integer(pdu.genericTrap);
    const parts = pdu.agentAddr.split('.').map(Number);
    w.tlv(TAG.IpAddress, Buffer.from(parts.length === 4 ? parts : [0, 0, 0, 0]));
    w.tlv(TAG.OID, oidToBer(pdu.enterprise));
  } else {
    w.integer(pdu.errorIndex);
    w.integer(pdu.errorStatus);
    w.integer(pdu.requestId);
  }
  w.wrap(PDU_TAG[pdu.type], m);
}

/** Encodes a v1/v2c message. Throws only on programming errors (invalid OID strings). */
export function encodeCommunityMessage(msg: CommunityMessage): Buffer {
  const w = new BerWriter();
  const m = w.mark;
  writePdu(w, msg.pdu);
  w.tlv(TAG.OctetString, msg.community);
  w.integer(msg.version === '1' ? 0 : 1);
  w.wrap(TAG.Sequence, m);
  return w.toBuffer();
}

export function encodeScopedPdu(sp: ScopedPdu): Buffer {
  const w = new BerWriter();
  const m = w.mark;
  writePdu(w, sp.pdu);
  w.tlv(TAG.OctetString, sp.contextName);
  w.tlv(TAG.OctetString, sp.contextEngineId);
  w.wrap(TAG.Sequence, m);
  return w.toBuffer();
}

/** Encoded byte size of one varbind (for tooBig accounting in responders). */
export function varbindSize(vb: WireVarbind): number {
  const w = new BerWriter(256);
  writeVarbinds(w, [vb]);
  return w.toBuffer().length - 2;
}
