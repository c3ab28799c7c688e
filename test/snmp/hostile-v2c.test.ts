/**
 * v2c agents that break the rules in ways real snmpd will not on demand, as tiny UDP responders
 * on 127.0.0.1: malformed answers after the next request has left, answers cut short (Cisco),
 * IPv6 literals spelt differently from the kernel, session-cache pressure during a walk.
 */
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { createSnmpClient } from '../../src/snmp/client.ts';
import type { SnmpTarget } from '../../src/snmp/types.ts';
import { decodeMessage, encodeCommunityMessage, type WireVarbind } from '../../src/snmp/wire/index.ts';

const ROOT = '1.3.6.1.4.1.9999.1';
const PAST_ROOT: WireVarbind = { oid: '1.3.6.1.4.1.9999.2.1', type: 'Integer', value: 1 };

interface Responder {
  port: number;
  /** GETBULKs received, by the OID they start from */
  from: string[];
  /** most requests the agent held unanswered at once */
  peak: number;
  close(): void;
}

/**
 * Answers GETBULKs over ROOT.1 … ROOT.rows (Counter32 = row number) after `delayMs`.
 * `reply(n, varbinds, encode)`: what request n (1-based) gets; null stays silent.
 */
async function responder(
  rows: number,
  reply: (n: number, vbs: WireVarbind[], encode: (vbs: WireVarbind[]) => Buffer) => Buffer | null = (_n, vbs, encode) => encode(vbs),
  family: 'udp4' | 'udp6' = 'udp4',
  delayMs = 0,
): Promise<Responder> {
  const sock = dgram.createSocket(family);
  const r: Responder = { port: 0, from: [], peak: 0, close: () => sock.close() };
  let open = 0;
  sock.on('message', (msg, rinfo) => {
    const d = decodeMessage(msg);
    if (!d.ok || d.value.version === '3' || d.value.pdu.type === 'TrapV1') return;
    const { pdu, community } = d.value;
    const from = pdu.varbinds[0].oid;
    r.from.push(from);
    let i = from.startsWith(`${ROOT}.`) ? Number(from.slice(ROOT.length + 1)) : 0;
    const vbs: WireVarbind[] = [];
    for (let k = 0; k < (pdu.type === 'GetBulkRequest' ? pdu.errorIndex : 1); k++) {
      if (++i > rows) {
        vbs.push(PAST_ROOT);
        break;
      }
      vbs.push({ oid: `${ROOT}.${i}`, type: 'Counter32', value: i });
    }
    const encode = (list: WireVarbind[]) =>
      encodeCommunityMessage({ version: '2c', community, pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: list } });
    const out = reply(r.from.length, vbs, encode);
    if (!out) return;
    r.peak = Math.max(r.peak, ++open);
    setTimeout(() => {
      open--;
      sock.send(out, rinfo.port, rinfo.address);
    }, delayMs);
  });
  await new Promise<void>((done) => sock.bind(0, family === 'udp6' ? '::1' : '127.0.0.1', done));
  r.port = sock.address().port;
  return r;
}

/** `vbs` encoded with varbind `at`'s value replaced by the raw TLV `bad` (an OctetString of the same size stands in for it) */
function withBadValue(encode: (vbs: WireVarbind[]) => Buffer, vbs: WireVarbind[], at: number, bad: number[]): Buffer {
  const stand = Buffer.from(bad.slice(2).map((_, k) => 0xa0 + k));
  const buf = encode(vbs.map((v, k) => (k === at ? { ...v, type: 'OctetString', value: stand } : v)));
  const pos = buf.indexOf(Buffer.concat([Buffer.from([0x04, stand.length]), stand]));
  Buffer.from(bad).copy(buf, pos);
  return buf;
}

const client = createSnmpClient({ maxConcurrency: 8 });
const agents: Responder[] = [];
const start = async (...a: Parameters<typeof responder>) => {
  const r = await responder(...a);
  agents.push(r);
  return r;
};
const target = (port: number, over: Partial<SnmpTarget> = {}): SnmpTarget => ({
  address: '127.0.0.1', port, credential: { version: '2c', community: 'public' }, timeoutMs: 300, retries: 1, maxRepetitions: 10, ...over,
});

afterAll(async () => {
  for (const a of agents) a.close();
  await client.close();
});

describe('an answer malformed after the next request left (peek passed, the full decode fails)', () => {
  it.each<[string, (encode: (vbs: WireVarbind[]) => Buffer, vbs: WireVarbind[]) => Buffer, RegExp]>([
    ['a Counter32 of 6 bytes', (e, v) => withBadValue(e, v, 3, [0x41, 6, 1, 0, 0, 0, 0, 0]), /Counter32 is 6 bytes, exceeds 32 bits \(value of 1\.3\.6\.1\.4\.1\.9999\.1\.14\)/],
    ['a sub-identifier above 2^32', (e, v) => withBadValue(e, v, 3, [0x06, 6, 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00]), /sub-identifier exceeds 32 bits \(value of 1\.3\.6\.1\.4\.1\.9999\.1\.14\)/],
    ['an IpAddress of 3 bytes', (e, v) => withBadValue(e, v, 3, [0x40, 3, 10, 0, 0]), /IpAddress has 3 bytes, expected 4 \(value of 1\.3\.6\.1\.4\.1\.9999\.1\.14\)/],
    ['an unknown tag 0x47', (e, v) => withBadValue(e, v, 3, [0x47, 1, 5]), /unknown value type 0x47 \(value of 1\.3\.6\.1\.4\.1\.9999\.1\.14\)/],
    ['trailing bytes after the message', (e, v) => Buffer.concat([e(v), Buffer.from([0, 0])]), /2 trailing bytes after the message/],
  ])('%s fails the walk as a protocol error naming it; no rows skipped, one request at the agent at a time', async (_name, corrupt, reason) => {
    const a = await start(200, (n, vbs, encode) => (n === 2 ? corrupt(encode, vbs) : encode(vbs)), 'udp4', 20);
    const err = await client.walk(target(a.port), ROOT).catch((e) => e);
    expect(err).toMatchObject({ kind: 'protocol', target: `agent 127.0.0.1:${a.port}`, action: `walk ${ROOT}` });
    expect(err.reason).toMatch(/^malformed response: /);
    expect(err.reason).toMatch(reason);
    expect(a.peak).toBe(1);
  });
});

describe('agents that answer differently from snmpd', () => {
  it('a table whose answers are cut short of a full row (Cisco, at its packet size) still gets every column', async () => {
    const base = '1.3.6.1.4.1.9999.3.1';
    const columns = [1, 2, 3, 4].map((c) => `${base}.${c}`);
    const cells = columns.flatMap((col, c) => [1, 2, 3, 4, 5, 6].map((row): WireVarbind => ({ oid: `${col}.${row}`, type: 'Integer', value: (c + 1) * 100 + row })));
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg, rinfo) => {
      const d = decodeMessage(msg);
      if (!d.ok || d.value.version === '3' || d.value.pdu.type !== 'GetBulkRequest') return;
      const { pdu, community } = d.value;
      const cursors = pdu.varbinds.map((v) => v.oid);
      const out: WireVarbind[] = [];
      for (let rep = 0; rep < pdu.errorIndex; rep++) {
        cursors.forEach((cur, k) => {
          const next = cells.find((v) => v.oid.localeCompare(cur, undefined, { numeric: true }) > 0) ?? { oid: '1.3.6.1.4.1.9999.4', type: 'EndOfMibView', value: null };
          out.push(next);
          cursors[k] = next.oid;
        });
      }
      // three varbinds fit: fewer than the four columns asked for
      const reply = encodeCommunityMessage({ version: '2c', community, pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: out.slice(0, 3) } });
      sock.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((done) => sock.bind(0, '127.0.0.1', done));
    try {
      const rows = await client.table(target(sock.address().port), columns);
      expect(rows.map((r) => r.index)).toEqual(['1', '2', '3', '4', '5', '6']);
      for (const row of rows) expect([...row.values.keys()]).toEqual(columns);
      expect(rows[5].values.get(columns[3])?.value).toBe(406);
    } finally {
      sock.close();
    }
  });

  it.each(['0:0:0:0:0:0:0:1', '::0001', '0::1'])('IPv6 agent given as %s: replies from ::1 are matched', async (address) => {
    const a = await start(5, undefined, 'udp6');
    const vbs = await client.walk(target(a.port, { address, retries: 0 }), ROOT);
    expect(vbs).toHaveLength(5);
    expect(await client.get(target(a.port, { address, retries: 0 }), [`${ROOT}.1`])).toHaveLength(1);
  });

  it('a walk survives the session cache filling up meanwhile; idle sessions are evicted instead', async () => {
    const small = createSnmpClient({ maxConcurrency: 2, maxSessions: 1 }); // at least 2 x maxConcurrency: 4 sessions
    try {
      const slow = await start(60, undefined, 'udp4', 20);
      const others = await Promise.all(Array.from({ length: 6 }, () => start(3)));
      const long = small.walk(target(slow.port, { maxRepetitions: 5 }), ROOT);
      for (const o of others) expect(await small.walk(target(o.port), ROOT)).toHaveLength(3);
      expect(await long).toHaveLength(60);
      expect(small.stats().sessions).toBeLessThanOrEqual(4);
    } finally {
      await small.close();
    }
  });

  it.each([
    ['1.3.6.1.4.1.9999.01', 5],
    ['.1.3.6.1.4.1.09999.1', 5],
  ])('user OID %s walks what its canonical form walks', async (root, n) => {
    const a = await start(5);
    expect(await client.walk(target(a.port), root)).toHaveLength(n);
  });

  it.each(['1.40.1', '3.1', '1'])('OID %s that BER cannot encode is a config error before anything is sent', async (root) => {
    const a = await start(5);
    const err = await client.walk(target(a.port), root).catch((e) => e);
    expect(err).toMatchObject({ kind: 'config', reason: expect.stringContaining(`"${root}"`) });
    expect(a.from).toHaveLength(0);
  });
});
