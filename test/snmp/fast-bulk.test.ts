/**
 * The v2c GETBULK fast path (src/snmp/fast-bulk.ts) against a scripted UDP agent, for the
 * answers a real snmpd will not give on demand: tooBig, a wrong community, a malformed or a
 * late reply. Whole walks against real snmpd (compared with snmpbulkwalk) are in agents.test.ts.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../src/snmp/client.ts';
import type { SnmpTarget, Varbind } from '../../src/snmp/types.ts';
import { decodeMessage, encodeCommunityMessage } from '../../src/snmp/wire/index.ts';

const ROOT = '1.3.6.1.2.1.99';
const MIB: Varbind[] = Array.from({ length: 12 }, (_, i): Varbind =>
  i % 2 === 0
    ? { oid: `${ROOT}.1.${i + 1}`, type: 'Counter64', value: 2n ** 63n + BigInt(i) }
    : { oid: `${ROOT}.2.${i + 1}`, type: 'OctetString', value: Buffer.from(`port ${i}`) },
).sort((a, b) => cmp(a.oid, b.oid));

type Behaviour = (ctx: { reps: number; call: number; reply: (community?: string) => Buffer }) => Buffer | 'drop' | { after: number; buf: Buffer };

/** A UDP agent that answers GETBULK from MIB, with `behave` deciding what really goes back. */
async function scriptedAgent(behave: Behaviour) {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let call = 0;
  const asked: number[] = [];
  sock.on('message', (msg, rinfo) => {
    const d = decodeMessage(msg);
    if (!d.ok || d.value.version === '3' || d.value.pdu.type !== 'GetBulkRequest') return;
    const pdu = d.value.pdu;
    const from = pdu.varbinds[0].oid;
    asked.push(pdu.errorIndex);
    const next = MIB.filter((v) => v.oid.split('.').map(Number).join('.') !== from && cmp(v.oid, from) > 0).slice(0, pdu.errorIndex);
    const varbinds = next.length > 0 ? next : [{ oid: from, type: 'EndOfMibView' as const, value: null }];
    const reply = (community = 'public') =>
      encodeCommunityMessage({ version: '2c', community: Buffer.from(community), pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds } });
    const out = behave({ reps: pdu.errorIndex, call: call++, reply });
    if (out === 'drop') return;
    if (Buffer.isBuffer(out)) sock.send(out, rinfo.port, rinfo.address);
    else setTimeout(() => sock.send(out.buf, rinfo.port, rinfo.address), out.after);
  });
  return { port: sock.address().port, asked, close: () => sock.close() };
}

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number), y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function tooBig(requestId: Buffer): Buffer {
  const d = decodeMessage(requestId);
  if (!d.ok || d.value.version === '3' || d.value.pdu.type === 'TrapV1') throw new Error('bad reply under test');
  return encodeCommunityMessage({ version: '2c', community: Buffer.from('public'), pdu: { ...d.value.pdu, errorStatus: 1, errorIndex: 0, varbinds: [] } });
}

const client = createSnmpClient({ maxConcurrency: 8 });
const target = (port: number, over: Partial<SnmpTarget> = {}): SnmpTarget => ({
  address: '127.0.0.1', port, credential: { version: '2c', community: 'public' }, timeoutMs: 300, retries: 1, maxRepetitions: 8, ...over,
});

describe('v2c GETBULK on the wire codec', () => {
  let agents: Array<{ close(): void }> = [];
  beforeAll(() => {
    agents = [];
  });
  afterAll(async () => {
    for (const a of agents) a.close();
    await client.close();
  });
  const start = async (b: Behaviour) => {
    const a = await scriptedAgent(b);
    agents.push(a);
    return a;
  };

  it('walks the subtree with Counter64 as bigint and OctetStrings as their own Buffers', async () => {
    const a = await start(({ reply }) => reply());
    const vbs = await client.walk(target(a.port), ROOT);
    expect(vbs.map((v) => v.oid)).toEqual(MIB.map((v) => v.oid));
    expect(vbs[0]).toEqual({ oid: MIB[0].oid, type: 'Counter64', value: 2n ** 63n });
    const text = vbs.find((v) => v.type === 'OctetString')!.value as Buffer;
    expect(text.toString()).toBe('port 1');
    expect(a.asked[0]).toBe(8);
  });

  it('halves max-repetitions on tooBig and still reads everything', async () => {
    const a = await start(({ reps, reply }) => (reps > 2 ? tooBig(reply()) : reply()));
    const vbs = await client.walk(target(a.port, { maxRepetitions: 8 }), ROOT);
    expect(vbs).toHaveLength(MIB.length);
    expect(a.asked.slice(0, 3)).toEqual([8, 4, 2]);
  });

  it('accepts a late reply to the first transmission while the retry is out', async () => {
    const a = await start(({ call, reply }) => (call === 0 ? { after: 400, buf: reply() } : call === 1 ? 'drop' : reply()));
    const vbs = await client.walk(target(a.port), ROOT);
    expect(vbs).toHaveLength(MIB.length);
  });

  it.each<[string, (r: (community?: string) => Buffer) => Buffer, RegExp]>([
    ['a wrong community', (r) => r('other'), /community differs/],
    ['a malformed datagram', () => Buffer.from([0x30, 0x03, 0x02, 0x01, 0x09, 0xff]), /malformed response/],
  ])('%s is a protocol error naming the agent', async (_name, make, reason) => {
    const a = await start(({ reply }) => make(reply));
    const err = await client.walk(target(a.port, { retries: 0 }), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol', target: `agent 127.0.0.1:${a.port}`, action: `walk ${ROOT}` });
    expect(err.reason).toMatch(reason);
  });

  it('no answer is a timeout after the retries', async () => {
    const a = await start(() => 'drop');
    const err = await client.walk(target(a.port, { timeoutMs: 100, retries: 2 }), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'timeout', reason: 'timeout after 2 retries' });
    expect(a.asked).toHaveLength(3);
  });
});
