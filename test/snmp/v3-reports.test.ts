/**
 * Report handling of the v3 GETBULK fast path (src/snmp/fast-bulk-v3.ts) against a scripted
 * USM agent built on the wire codec, for what a real snmpd will not do on demand: reboot
 * mid-walk (notInTimeWindow), keep its clock wrong, forget the user, fail the digest, stay
 * silent, answer late. The agent is authoritative: it answers net-snmp's discovery, checks
 * digests and the time window with `unwrapV3` and reports like snmpd.
 */
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { createSnmpClient } from '../../src/snmp/client.ts';
import type { SnmpTarget, Varbind } from '../../src/snmp/types.ts';
import { buildReport, decodeMessage, deriveUserKeys, encodeV3, unwrapV3, type UsmErrorKind } from '../../src/snmp/wire/index.ts';

const ROOT = '1.3.6.1.2.1.99';
const MIB: Varbind[] = Array.from({ length: 12 }, (_, i): Varbind => ({ oid: `${ROOT}.1.${i + 1}`, type: 'OctetString', value: Buffer.from(`row ${i + 1}`) }));
const FIRST_ENGINE = Buffer.from('80001f88800102030405060708', 'hex');
const CRED: V3Credential = { version: '3', user: 'ops', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'report-auth', privProtocol: 'AES', privKey: 'report-priv' };

/** What the agent does with an authentic GETBULK: its number among them (0 = net-snmp's first) decides. */
type Behaviour = (n: number, agent: { reboot(): void; replace(): void }) => 'answer' | 'drop' | { report: UsmErrorKind } | { late: number } | { unsignedTimeWindow: number };

async function usmAgent(behave: Behaviour) {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let boots = 7;
  let timeBase = Date.now() - 5_000_000;
  let bulks = 0;
  const received: Array<{ boots: number; time: number }> = [];
  const now = () => Math.floor((Date.now() - timeBase) / 1000);
  let ENGINE = FIRST_ENGINE;
  let keys = deriveUserKeys(CRED, ENGINE);
  const control = {
    reboot: () => {
      boots++;
      timeBase = Date.now();
    },
    /** the device is swapped for a new one: another engine ID, boots and time from scratch */
    replace: () => {
      ENGINE = Buffer.from('80001f888009090909090909', 'hex');
      keys = deriveUserKeys(CRED, ENGINE);
      boots = 1;
      timeBase = Date.now();
    },
  };
  sock.on('message', (msg, rinfo) => {
    const d = decodeMessage(msg);
    if (!d.ok || d.value.version !== '3') return;
    const m = d.value;
    const send = (buf: Buffer) => sock.send(buf, rinfo.port, rinfo.address);
    const report = (kind: UsmErrorKind, requestId: number) => {
      const signed = kind === 'notInTimeWindow';
      send(encodeV3({
        msgId: m.msgId, reportable: false, level: signed ? 'authNoPriv' : 'noAuthNoPriv', keys: signed ? keys : undefined,
        engineId: ENGINE, engineBoots: boots, engineTime: now(), userName: m.usm.userName, scopedPdu: buildReport(kind, 1, requestId, ENGINE),
      }));
    };
    const u = unwrapV3(m, (name, eid) => (name === CRED.user && eid.equals(ENGINE) ? keys : undefined), { engineId: ENGINE, engineBoots: boots, engineTime: now() });
    if (!u.ok) {
      if (u.error !== 'malformed') report(u.error, 0);
      return;
    }
    const pdu = u.scopedPdu.pdu;
    if (pdu.type === 'TrapV1') return;
    received.push({ boots: m.usm.engineBoots, time: m.usm.engineTime });
    let varbinds: Varbind[] = [];
    if (pdu.type === 'GetBulkRequest') {
      const from = pdu.varbinds[0].oid;
      varbinds = MIB.filter((v) => cmp(v.oid, from) > 0).slice(0, pdu.errorIndex);
      if (varbinds.length === 0) varbinds = [{ oid: from, type: 'EndOfMibView', value: null }];
    }
    const what = pdu.type === 'GetBulkRequest' ? behave(bulks++, control) : 'answer';
    if (what === 'drop') return;
    if (typeof what === 'object' && 'report' in what) return report(what.report, pdu.requestId);
    if (typeof what === 'object' && 'unsignedTimeWindow' in what) {
      return send(encodeV3({
        msgId: m.msgId, reportable: false, level: 'noAuthNoPriv', engineId: ENGINE, engineBoots: what.unsignedTimeWindow, engineTime: 1,
        userName: m.usm.userName, scopedPdu: buildReport('notInTimeWindow', 1, pdu.requestId, ENGINE),
      }));
    }
    const reply = encodeV3({
      msgId: m.msgId, reportable: false, level: 'authPriv', keys, engineId: ENGINE, engineBoots: boots, engineTime: now(), userName: CRED.user,
      scopedPdu: { contextEngineId: ENGINE, contextName: Buffer.alloc(0), pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds } },
    });
    if (typeof what === 'object') setTimeout(() => send(reply), (what as { late: number }).late);
    else send(reply);
  });
  return { port: sock.address().port, received, bulks: () => bulks, replace: control.replace, close: () => sock.close() };
}

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number), y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const client = createSnmpClient({ maxConcurrency: 8 });
const agents: Array<{ close(): void }> = [];
const start = async (b: Behaviour) => {
  const a = await usmAgent(b);
  agents.push(a);
  return a;
};
const target = (port: number, over: Partial<SnmpTarget> = {}): SnmpTarget => ({
  address: '127.0.0.1', port, credential: CRED, timeoutMs: 300, retries: 1, maxRepetitions: 2, ...over,
});

afterAll(async () => {
  for (const a of agents) a.close();
  await client.close();
});

describe('v3 GETBULK on the wire codec: reports and timing', () => {
  it('walks over the wire codec after net-snmp\'s first request', async () => {
    const a = await start(() => 'answer');
    const before = client.stats().wireBulkRequests;
    const vbs = await client.walk(target(a.port), ROOT);
    expect(vbs.map((v) => String(v.value))).toEqual(MIB.map((v) => String(v.value)));
    expect(client.stats().wireBulkRequests - before).toBe(a.bulks() - 1);
  });

  it('an agent that rebooted mid-walk (notInTimeWindow) is resynchronised and the walk completes', async () => {
    const a = await start((n, agent) => {
      if (n === 2) agent.reboot();
      return 'answer';
    });
    const vbs = await client.walk(target(a.port), ROOT);
    expect(vbs).toHaveLength(MIB.length);
    // request 2 carried the old boots and was refused; its retry carried the agent's new boots
    const boots = a.received.map((r) => r.boots);
    expect(boots.at(-1)).toBe(8);
    expect(boots).toContain(7);
  });

  it('notInTimeWindow again after resynchronising is an error, not a loop', async () => {
    const a = await start((n) => (n >= 1 ? { report: 'notInTimeWindow' } : 'answer'));
    const err = await client.walk(target(a.port), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol', reason: expect.stringMatching(/not in time window after resynchronisation/) });
    expect(a.bulks()).toBe(3);
  });

  it('an unsigned notInTimeWindow report (anyone could forge it) fails the request without adopting its clock', async () => {
    const a = await start((n) => (n === 2 ? { unsignedTimeWindow: 9999 } : 'answer'));
    const err = await client.walk(target(a.port), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol', reason: expect.stringMatching(/unauthenticated notInTimeWindow report/) });
    const vbs = await client.walk(target(a.port), ROOT);
    expect(vbs).toHaveLength(MIB.length);
    expect(a.received.map((r) => r.boots)).not.toContain(9999);
  });

  it('a device replaced by one with a new engine ID is rediscovered, not an auth error forever', async () => {
    const a = await start(() => 'answer');
    const t = target(a.port);
    expect(await client.walk(t, ROOT)).toHaveLength(MIB.length);
    a.replace();
    const second = await client.walk(t, ROOT).catch((e) => e);
    const third = await client.walk(t, ROOT).catch((e) => e);
    // at most the first operation after the swap may fail; the next one works on the new engine
    expect(Array.isArray(third) ? third : String(third)).toHaveLength(MIB.length);
    if (!Array.isArray(second)) expect(second.kind).toBe('auth');
  });

  it.each<[UsmErrorKind, RegExp]>([
    ['unknownUserName', /unknown user name/],
    ['wrongDigest', /wrong digest/],
    ['unsupportedSecLevel', /unsupported security level/],
    ['decryptionError', /decryption error/],
    ['unknownEngineId', /unknown engine ID/],
  ])('a %s report mid-walk is an auth error naming the agent', async (kind, reason) => {
    // from the 3rd GETBULK on: an unknown engine ID is retried once on a fresh session first
    const a = await start((n) => (n >= 2 ? { report: kind } : 'answer'));
    const err = await client.walk(target(a.port), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'auth', target: `agent 127.0.0.1:${a.port}`, action: `walk ${ROOT}` });
    expect(err.reason).toMatch(reason);
    expect(err.message).not.toContain('report-');
  });

  it('one unknownEngineId report mid-walk: the engine is discovered again and the walk completes', async () => {
    const a = await start((n) => (n === 2 ? { report: 'unknownEngineId' } : 'answer'));
    expect(await client.walk(target(a.port), ROOT)).toHaveLength(MIB.length);
  });

  it('silence is a timeout after the retries, each one a resend', async () => {
    let silent = false;
    const a = await start(() => (silent ? 'drop' : 'answer'));
    const t = target(a.port, { timeoutMs: 100, retries: 2 });
    await client.walk(t, ROOT);
    silent = true;
    const asked = a.bulks();
    const wire = client.stats().wireBulkRequests;
    const err = await client.walk(t, ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'timeout', reason: 'timeout after 2 retries' });
    expect(a.bulks() - asked).toBe(3);
    expect(client.stats().wireBulkRequests - wire).toBe(1);
  });

  it('a late reply to the first transmission counts while the retry is out', async () => {
    const a = await start((n) => (n === 1 ? { late: 400 } : n === 2 ? 'drop' : 'answer'));
    const vbs = await client.walk(target(a.port), ROOT);
    expect(vbs).toHaveLength(MIB.length);
  });
});
