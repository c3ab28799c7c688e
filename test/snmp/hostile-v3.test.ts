/**
 * v3 answers that are authentic but wrong, from a scripted USM agent on 127.0.0.1 (built on the
 * wire codec): a scopedPDU that decrypts but does not decode, and a response at a lower security
 * level than the request's. Both are the agent's fault, not a wrong password.
 */
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { createSnmpClient } from '../../src/snmp/client.ts';
import type { SnmpTarget } from '../../src/snmp/types.ts';
import { buildReport, decodeMessage, deriveUserKeys, encodeV3, unwrapV3, type WireVarbind } from '../../src/snmp/wire/index.ts';

const ROOT = '1.3.6.1.4.1.9999.1';
const ENGINE = Buffer.from('80001f8880aabbccdd02', 'hex');
const CRED: V3Credential = { version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA', authKey: 'hostile-auth', privProtocol: 'AES', privKey: 'hostile-priv' };

/** What GETBULK n (0 = net-snmp's first) gets back. */
type Behaviour = (n: number) => 'answer' | 'counter64-of-10-bytes' | 'authNoPriv';

async function usmAgent(behave: Behaviour) {
  const keys = deriveUserKeys(CRED, ENGINE);
  const sock = dgram.createSocket('udp4');
  const seen = { discoveries: 0, bulks: 0 };
  sock.on('message', (msg, rinfo) => {
    const d = decodeMessage(msg);
    if (!d.ok || d.value.version !== '3') return;
    const m = d.value;
    const send = (buf: Buffer) => sock.send(buf, rinfo.port, rinfo.address);
    if (m.usm.engineId.length === 0) {
      seen.discoveries++;
      const pdu = m.scopedPdu?.pdu;
      const requestId = pdu && pdu.type !== 'TrapV1' ? pdu.requestId : 0;
      send(encodeV3({ msgId: m.msgId, reportable: false, level: 'noAuthNoPriv', engineId: ENGINE, engineBoots: 3, engineTime: 100, userName: '', scopedPdu: buildReport('unknownEngineId', 1, requestId, ENGINE) }));
      return;
    }
    const u = unwrapV3(m, (name, eid) => (name === CRED.user && eid.equals(ENGINE) ? keys : undefined), { engineId: ENGINE, engineBoots: 3, engineTime: 100 });
    if (!u.ok || u.scopedPdu.pdu.type === 'TrapV1') return;
    const pdu = u.scopedPdu.pdu;
    const what = pdu.type === 'GetBulkRequest' ? behave(seen.bulks++) : 'answer';
    const from = pdu.varbinds[0].oid;
    let i = from.startsWith(`${ROOT}.`) ? Number(from.slice(ROOT.length + 1)) : 0;
    const varbinds: WireVarbind[] = [];
    for (let k = 0; k < (pdu.type === 'GetBulkRequest' ? pdu.errorIndex : 1); k++) {
      if (++i > 20) {
        varbinds.push({ oid: '1.3.6.1.4.1.9999.2', type: 'EndOfMibView', value: null });
        break;
      }
      varbinds.push({ oid: `${ROOT}.${i}`, type: 'Counter64', value: BigInt(i) });
    }
    // BerWriter writes 2^72 as it is: 10 content bytes, which no Counter64 decoder accepts
    if (what === 'counter64-of-10-bytes') varbinds[1] = { ...varbinds[1], value: 1n << 72n };
    send(encodeV3({
      msgId: m.msgId, reportable: false, level: what === 'authNoPriv' ? 'authNoPriv' : 'authPriv', keys, engineId: ENGINE, engineBoots: 3, engineTime: 100, userName: CRED.user,
      scopedPdu: { contextEngineId: ENGINE, contextName: Buffer.alloc(0), pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds } },
    }));
  });
  await new Promise<void>((done) => sock.bind(0, '127.0.0.1', done));
  return { port: sock.address().port, seen, close: () => sock.close() };
}

const client = createSnmpClient({ maxConcurrency: 4 });
const agents: Array<{ close(): void }> = [];
const start = async (b: Behaviour) => {
  const a = await usmAgent(b);
  agents.push(a);
  return a;
};
const target = (port: number): SnmpTarget => ({ address: '127.0.0.1', port, credential: CRED, timeoutMs: 300, retries: 1, maxRepetitions: 3 });

afterAll(async () => {
  for (const a of agents) a.close();
  await client.close();
});

describe('authentic v3 answers that break the protocol', () => {
  it('a decrypted scopedPDU that does not decode is a protocol error naming the varbind; the session is kept', async () => {
    let broken = true;
    const a = await start((n) => (n === 2 && broken ? 'counter64-of-10-bytes' : 'answer'));
    const err = await client.walk(target(a.port), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol', target: `agent 127.0.0.1:${a.port}`, action: `walk ${ROOT}` });
    expect(err.reason).toMatch(/^malformed response: decrypted scopedPDU is malformed: Counter64 exceeds 64 bits \(value of 1\.3\.6\.1\.4\.1\.9999\.1\.8\)/);
    expect(err.message).not.toContain('hostile-');
    broken = false;
    expect(await client.walk(target(a.port), ROOT)).toHaveLength(20);
    // the engine discovered first still serves: no second discovery
    expect(a.seen.discoveries).toBe(1);
  });

  it('an authNoPriv response to an authPriv request is a protocol error (RFC 3412: the request\'s level)', async () => {
    const a = await start((n) => (n === 2 ? 'authNoPriv' : 'answer'));
    const err = await client.walk(target(a.port), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol', reason: "response at security level authNoPriv to a request at authPriv (RFC 3412: a response has the request's level)" });
  });
});
