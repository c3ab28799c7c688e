import { describe, expect, it } from 'vitest';
import {
  buildReport, decodeMessage, deriveUserKeys, encodeCommunityMessage, encodeV3, unwrapV3,
  type CommunityMessage, type V3Message, type WireVarbind,
} from '../../src/snmp/wire/index.ts';
import type { V3Credential } from '../../src/model/index.ts';

const VARBINDS: WireVarbind[] = [
  { oid: '1.3.6.1.2.1.1.1.0', type: 'OctetString', value: Buffer.from('Cisco IOS') },
  { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 4294967295 },
  { oid: '1.3.6.1.2.1.2.2.1.10.1', type: 'Counter32', value: 2147483648 },
  { oid: '1.3.6.1.2.1.2.2.1.5.1', type: 'Gauge32', value: 1000000000 },
  { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: 'Counter64', value: 18446744073709551615n },
  { oid: '1.3.6.1.2.1.4.20.1.1.10.0.0.1', type: 'IpAddress', value: '10.0.0.1' },
  { oid: '1.3.6.1.2.1.1.2.0', type: 'OID', value: '1.3.6.1.4.1.9.1.1208' },
  { oid: '1.3.6.1.2.1.2.2.1.8.1', type: 'Integer', value: -2147483648 },
  { oid: '1.3.6.1.2.1.2.2.1.8.2', type: 'Integer', value: 2147483647 },
  { oid: '1.3.6.1.2.1.2.2.1.8.3', type: 'Integer', value: 0 },
  { oid: '1.3.6.1.2.1.99.0', type: 'NoSuchObject', value: null },
  { oid: '1.3.6.1.2.1.99.1', type: 'NoSuchInstance', value: null },
  { oid: '1.3.6.1.2.1.99.2', type: 'EndOfMibView', value: null },
  { oid: '1.3.6.1.2.1.99.3', type: 'Null', value: null },
  { oid: '2.999.4294967295.128.16383.16384', type: 'Opaque', value: Buffer.from([0x9f, 0x78, 4, 0, 0, 0, 0]) },
];

describe('v1/v2c round trips', () => {
  it.each(['GetRequest', 'GetNextRequest', 'GetBulkRequest', 'Response', 'SetRequest', 'TrapV2', 'InformRequest', 'Report'] as const)('%s', (type) => {
    const msg: CommunityMessage = { version: '2c', community: Buffer.from('public'), pdu: { type, requestId: 123456, errorStatus: 0, errorIndex: 10, varbinds: VARBINDS } };
    const r = decodeMessage(encodeCommunityMessage(msg));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual(msg);
  });

  it('v1 Trap', () => {
    const msg: CommunityMessage = {
      version: '1', community: Buffer.from('public'),
      pdu: { type: 'TrapV1', enterprise: '1.3.6.1.4.1.9', agentAddr: '127.0.0.5', genericTrap: 2, specificTrap: 0, timestamp: 1234, varbinds: VARBINDS.slice(0, 3) },
    };
    const r = decodeMessage(encodeCommunityMessage(msg));
    expect(r.ok && r.value).toEqual(msg);
  });

  it('negative request ids and large messages', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ oid: `1.3.6.1.2.1.2.2.1.2.${i}`, type: 'OctetString' as const, value: Buffer.alloc(40, 65) }));
    const msg: CommunityMessage = { version: '2c', community: Buffer.from('x'), pdu: { type: 'Response', requestId: -5, errorStatus: 0, errorIndex: 0, varbinds: many } };
    const r = decodeMessage(encodeCommunityMessage(msg));
    expect(r.ok && r.value).toEqual(msg);
  });
});

describe('hostile input gives typed errors, never throws', () => {
  const good = encodeCommunityMessage({ version: '2c', community: Buffer.from('public'), pdu: { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: VARBINDS } });
  it.each([
    ['empty', Buffer.alloc(0), /end of data/],
    ['not a sequence', Buffer.from([0x02, 0x01, 0x00]), /expected message/],
    ['indefinite length', Buffer.from([0x30, 0x80, 0, 0]), /indefinite/],
    ['length past end', Buffer.from([0x30, 0x10, 0x02, 0x01, 0x01]), /claims 16 bytes/],
    ['version 7', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x07]), /unsupported SNMP version 7/],
    ['huge length field', Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]), /length/],
    ['unknown pdu', Buffer.from([0x30, 0x0b, 0x02, 0x01, 0x01, 0x04, 0x01, 0x61, 0xbf, 0x03, 0x02, 0x01, 0x01]), /tag|PDU/],
  ])('%s', (_name, buf, re) => {
    const r = decodeMessage(buf);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toMatch(re);
  });

  it('a bad value names the OID it belongs to', () => {
    const ok = encodeCommunityMessage({ version: '2c', community: Buffer.from('c'), pdu: { type: 'Response', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', type: 'IpAddress', value: '10.0.0.1' }] } });
    const b = Buffer.from(ok);
    const at = b.indexOf(Buffer.from([0x40, 0x04]));
    b[at] = 0x47; // a value type SNMP does not define
    const r = decodeMessage(b);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe('unknown value type 0x47 (value of 1.3.6.1.2.1.1.5.0)');
  });

  it('every truncation of a valid message', () => {
    for (let n = 0; n < good.length; n++) {
      const r = decodeMessage(good.subarray(0, n));
      expect(r.ok).toBe(false);
    }
  });

  it('random garbage and bit flips', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 3; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      expect(() => decodeMessage(b)).not.toThrow();
      const g = Buffer.alloc(Math.floor(rnd() * 64), 0).map(() => Math.floor(rnd() * 256));
      expect(() => decodeMessage(Buffer.from(g))).not.toThrow();
    }
  });
});

const ENGINE = Buffer.from('80001f88800102030405060708', 'hex');
const USERS: V3Credential[] = [
  { version: '3', user: 'noauth', level: 'noAuthNoPriv' },
  { version: '3', user: 'md5des', level: 'authPriv', authProtocol: 'MD5', authKey: 'authpass1', privProtocol: 'DES', privKey: 'privpass1' },
  { version: '3', user: 'sha', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'authpass1' },
  { version: '3', user: 's224', level: 'authPriv', authProtocol: 'SHA-224', authKey: 'authpass1', privProtocol: 'AES', privKey: 'privpass1' },
  { version: '3', user: 's256', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'authpass1', privProtocol: 'AES', privKey: 'privpass1' },
  { version: '3', user: 's384', level: 'authPriv', authProtocol: 'SHA-384', authKey: 'authpass1', privProtocol: 'AES-256', privKey: 'privpass1' },
  { version: '3', user: 's512', level: 'authPriv', authProtocol: 'SHA-512', authKey: 'authpass1', privProtocol: 'AES-256-C', privKey: 'privpass1' },
];

function v3Request(cred: V3Credential, engineTime = 100): Buffer {
  return encodeV3({
    msgId: 77, reportable: true, level: cred.level, engineId: ENGINE, engineBoots: 3, engineTime,
    userName: cred.user, keys: deriveUserKeys(cred, ENGINE),
    scopedPdu: { contextEngineId: ENGINE, contextName: Buffer.alloc(0), pdu: { type: 'GetRequest', requestId: 9, errorStatus: 0, errorIndex: 0, varbinds: VARBINDS.slice(0, 2) } },
  });
}

const lookup = (users: V3Credential[]) => (name: string, engineId: Buffer) => {
  const u = users.find((x) => x.user === name);
  return u && deriveUserKeys(u, engineId);
};
const LOCAL = { engineId: ENGINE, engineBoots: 3, engineTime: 120 };

function v3(buf: Buffer): V3Message {
  const r = decodeMessage(buf);
  if (!r.ok || r.value.version !== '3') throw new Error('not v3');
  return r.value;
}

describe('v3 USM', () => {
  it.each(USERS.map((u) => [u.user, u] as const))('round trip %s', (_n, cred) => {
    const r = unwrapV3(v3(v3Request(cred)), lookup(USERS), LOCAL);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.level).toBe(cred.level);
      expect(r.scopedPdu.pdu.varbinds).toEqual(VARBINDS.slice(0, 2));
    }
  });

  const wrongAuth: V3Credential = { ...USERS[4], authKey: 'wrongpass' } as V3Credential;
  const wrongPriv: V3Credential = { ...USERS[4], privKey: 'wrongpriv' } as V3Credential;
  it.each([
    ['unknown user', v3Request({ ...USERS[4], user: 'nobody' } as V3Credential), 'unknownUserName'],
    ['wrong auth key', v3Request(wrongAuth), 'wrongDigest'],
    ['wrong priv key', v3Request(wrongPriv), 'decryptionError'],
    ['outside time window', v3Request(USERS[4], 5000), 'notInTimeWindow'],
    ['level above the user', v3Request({ ...USERS[2], level: 'authPriv', privProtocol: 'AES', privKey: 'x1234567' } as V3Credential), 'unsupportedSecLevel'],
  ])('%s', (_n, buf, err) => {
    const r = unwrapV3(v3(buf), lookup(USERS), LOCAL);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(err);
  });

  it('discovery probe → unknownEngineId; report round trip', () => {
    const probe = encodeV3({
      msgId: 1, reportable: true, level: 'noAuthNoPriv', engineId: Buffer.alloc(0), engineBoots: 0, engineTime: 0, userName: '',
      scopedPdu: { contextEngineId: Buffer.alloc(0), contextName: Buffer.alloc(0), pdu: { type: 'GetRequest', requestId: 5, errorStatus: 0, errorIndex: 0, varbinds: [] } },
    });
    const r = unwrapV3(v3(probe), lookup(USERS), LOCAL);
    expect(r.ok === false && r.error).toBe('unknownEngineId');
    const rep = encodeV3({ msgId: 1, reportable: false, level: 'noAuthNoPriv', engineId: ENGINE, engineBoots: 3, engineTime: 120, userName: '', scopedPdu: buildReport('unknownEngineId', 7, 5, ENGINE) });
    const m = v3(rep);
    expect(m.usm.engineId).toEqual(ENGINE);
    expect(m.scopedPdu?.pdu.type).toBe('Report');
    expect(m.scopedPdu?.pdu.varbinds[0]).toMatchObject({ oid: '1.3.6.1.6.3.15.1.1.4.0', type: 'Counter32', value: 7 });
  });
});
