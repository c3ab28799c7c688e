import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

const SENDER_ENGINE = '8000000001020304aabbccdd';
const events: TrapEvent[] = [];
let port = 0;
let v6port = 0;
let slowRecord = false;
let failRecord = false;

const receiver = new TrapReceiver({
  config: TrapsConfigSchema.parse({
    listen: ['127.0.0.1:0', '[::1]:0'],
    communities: [
      { name: 'lab', community: 's3cret-comm' }, { name: 'restricted', community: 'only-v6', allow: ['::1/128'] },
      { name: 'agent-only', community: 'agent-comm', allow: ['10.9.9.9/32'] },
    ],
    users: [
      { user: 'alice', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'alice-auth-pass', privProtocol: 'AES', privKey: 'alice-priv-pass', engineIds: [SENDER_ENGINE] },
      { user: 'bob', level: 'authPriv', authProtocol: 'SHA', authKey: 'bob-auth-pass', privProtocol: 'AES', privKey: 'bob-priv-pass' },
      { user: 'carol', level: 'authNoPriv', authProtocol: 'MD5', authKey: 'carol-auth-pass' },
    ],
    defaultRules: false,
  }),
  resolveDevice: (a) => (a === '127.0.0.1' ? 'lab-router' : a === '10.9.9.9' ? 'v1-agent' : undefined),
  record: async (e) => {
    if (failRecord) throw new Error('store down');
    if (slowRecord) await new Promise((r) => setTimeout(r, 300));
    events.push(e);
  },
});

const LINK_DOWN = ['1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.3', 'i', '3', '1.3.6.1.2.1.2.2.1.2.3', 's', 'eth0'];

beforeAll(async () => {
  requireSnmptrap();
  const addrs = await receiver.start();
  port = addrs[0].port;
  v6port = addrs[1].port;
});
afterAll(async () => {
  await receiver.stop();
});

function last(pred: (e: TrapEvent) => boolean): TrapEvent | undefined {
  return events.filter(pred).at(-1);
}

describe('TrapReceiver with real snmptrap', () => {
  it('receives a v2c trap and resolves the device', async () => {
    const r = await snmptrap(['-v', '2c', '-c', 's3cret-comm', `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    expect(r.code, r.stderr).toBe(0);
    const e = await waitFor(() => last((e) => e.version === '2c' && e.pdu === 'TrapV2'), 20_000, 'v2c trap');
    expect(e).toMatchObject({ device: 'lab-router', community: 'lab', trapOid: '1.3.6.1.6.3.1.1.5.3' });
    expect(e.varbinds).toEqual([
      { oid: '1.3.6.1.2.1.2.2.1.1.3', type: 'Integer', value: 3 },
      { oid: '1.3.6.1.2.1.2.2.1.2.3', type: 'OctetString', value: 'eth0' },
    ]);
    expect(JSON.stringify(e)).not.toContain('s3cret-comm');
  });

  it('maps a v1 trap per RFC 3584; its agent-addr names the device over the (forwarder\'s) source', async () => {
    const r = await snmptrap(['-v', '1', '-c', 's3cret-comm', `127.0.0.1:${port}`, '1.3.6.1.4.1.8072.2.3', '10.9.9.9', '6', '17', '', '1.3.6.1.2.1.1.5.0', 's', 'x']);
    expect(r.code, r.stderr).toBe(0);
    const e = await waitFor(() => last((e) => e.version === '1'), 20_000, 'v1 trap');
    expect(e.trapOid).toBe('1.3.6.1.4.1.8072.2.3.0.17');
    expect(e.v1).toMatchObject({ agentAddr: '10.9.9.9', genericTrap: 6, specificTrap: 17 });
    // snmptrap sends from 127.0.0.1, itself a known device (a NAT gateway, a forwarder)
    expect(e.device).toBe('v1-agent');
    expect(e.source.address).toBe('127.0.0.1');
    expect(e.varbinds.map((v) => v.oid)).toContain('1.3.6.1.6.3.18.1.3.0');
  });

  it('a v1 agent-addr 0.0.0.0 or an unknown one leaves the device to the source', async () => {
    for (const [agent, n] of [['0.0.0.0', 18], ['10.7.7.7', 19]] as const) {
      const r = await snmptrap(['-v', '1', '-c', 's3cret-comm', `127.0.0.1:${port}`, '1.3.6.1.4.1.8072.2.3', agent, '6', String(n), '']);
      expect(r.code, r.stderr).toBe(0);
      const e = await waitFor(() => last((e) => e.trapOid === `1.3.6.1.4.1.8072.2.3.0.${n}`), 20_000, `v1 trap from ${agent}`);
      expect(e.v1?.agentAddr).toBe(agent);
      expect(e.device).toBe('lab-router');
    }
  });

  it('a v2c snmpTrapAddress.0 (forwarder, NAT-aware agent) names the device; the event keeps the UDP source', async () => {
    const r = await snmptrap(['-v', '2c', '-c', 's3cret-comm', `127.0.0.1:${port}`, '', '1.3.6.1.4.1.99999.0.21', '1.3.6.1.6.3.18.1.3.0', 'a', '10.9.9.9']);
    expect(r.code, r.stderr).toBe(0);
    const e = await waitFor(() => last((e) => e.trapOid === '1.3.6.1.4.1.99999.0.21'), 20_000, 'forwarded v2c trap');
    expect(e).toMatchObject({ device: 'v1-agent', source: { address: '127.0.0.1' } });
  });

  it('an allow-list applies to the UDP source: claiming an allowed agent-addr or snmpTrapAddress.0 does not pass it', async () => {
    const before = receiver.counters.byReason['source-not-allowed'];
    await snmptrap(['-v', '1', '-c', 'agent-comm', `127.0.0.1:${port}`, '1.3.6.1.4.1.8072.2.3', '10.9.9.9', '6', '22', '']);
    await snmptrap(['-v', '2c', '-c', 'agent-comm', `127.0.0.1:${port}`, '', '1.3.6.1.4.1.99999.0.23', '1.3.6.1.6.3.18.1.3.0', 'a', '10.9.9.9']);
    await waitFor(() => receiver.counters.byReason['source-not-allowed'] >= before + 2, 20_000, 'source-not-allowed count');
    expect(events.some((e) => e.community === 'agent-only')).toBe(false);
  });

  it('acknowledges a v2c inform only after the trap is recorded', async () => {
    slowRecord = true;
    const recorded = events.length;
    const r = await snmptrap(['-Ci', '-r', '0', '-t', '3', '-v', '2c', '-c', 's3cret-comm', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    slowRecord = false;
    expect(r.code, r.stderr).toBe(0);
    expect(events.length).toBe(recorded + 1); // recorded (300 ms) before snmptrap got its ack and exited
    expect(last((e) => e.pdu === 'InformRequest' && e.version === '2c')).toBeDefined();
  });

  it('does not acknowledge an inform whose recording fails', async () => {
    failRecord = true;
    const before = receiver.counters.byReason['record-failed'];
    const r = await snmptrap(['-Ci', '-r', '0', '-t', '1', '-v', '2c', '-c', 's3cret-comm', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    failRecord = false;
    expect(r.code).not.toBe(0);
    expect(receiver.counters.byReason['record-failed']).toBeGreaterThan(before);
  });

  it('receives a v3 authPriv SHA-256/AES trap from a configured engine ID', async () => {
    const r = await snmptrap(['-v', '3', '-u', 'alice', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'alice-auth-pass', '-x', 'AES', '-X', 'alice-priv-pass', '-e', `0x${SENDER_ENGINE}`, `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    expect(r.code, r.stderr).toBe(0);
    const e = await waitFor(() => last((e) => e.user === 'alice'), 20_000, 'v3 trap');
    expect(e).toMatchObject({ version: '3', pdu: 'TrapV2', securityLevel: 'authPriv', engineId: SENDER_ENGINE, trapOid: '1.3.6.1.6.3.1.1.5.3' });
  });

  it('rejects alice from an engine ID that is not hers, and learns engines for bob', async () => {
    const before = receiver.counters.byReason['unknown-engine'];
    await snmptrap(['-v', '3', '-u', 'alice', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'alice-auth-pass', '-x', 'AES', '-X', 'alice-priv-pass', '-e', '0x80000000010203040506', `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    await waitFor(() => receiver.counters.byReason['unknown-engine'] > before, 20_000, 'unknown-engine count');
    const r = await snmptrap(['-v', '3', '-u', 'bob', '-l', 'authPriv', '-a', 'SHA', '-A', 'bob-auth-pass', '-x', 'AES', '-X', 'bob-priv-pass', '-e', '0x800000000102030405aa', `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(() => last((e) => e.user === 'bob' && e.pdu === 'TrapV2'), 20_000, 'bob trap');
    expect(receiver.engines.get('800000000102030405aa')).toMatchObject({ user: 'bob', address: '127.0.0.1' });
  });

  it('answers discovery and acknowledges a v3 authPriv inform', async () => {
    const r = await snmptrap(['-Ci', '-r', '1', '-t', '3', '-v', '3', '-u', 'bob', '-l', 'authPriv', '-a', 'SHA', '-A', 'bob-auth-pass', '-x', 'AES', '-X', 'bob-priv-pass', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.3', 'i', '3']);
    expect(r.code, r.stderr).toBe(0);
    const e = await waitFor(() => last((e) => e.user === 'bob' && e.pdu === 'InformRequest'), 20_000, 'v3 inform');
    expect(e.engineId).toBe(receiver.local.engineId.toString('hex'));
    expect(receiver.counters.informsAcked).toBeGreaterThan(0);
  });

  it('counts a wrong auth key, an unknown community, an unknown user and a disallowed source', async () => {
    const c = receiver.counters.byReason;
    const before = { ...c };
    await snmptrap(['-v', '3', '-u', 'alice', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'wrong-auth-pass', '-x', 'AES', '-X', 'alice-priv-pass', '-e', `0x${SENDER_ENGINE}`, `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    await snmptrap(['-v', '2c', '-c', 'guess', `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    await snmptrap(['-v', '3', '-u', 'mallory', '-l', 'authNoPriv', '-a', 'MD5', '-A', 'mallory-pass', '-e', `0x${SENDER_ENGINE}`, `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    await snmptrap(['-v', '2c', '-c', 'only-v6', `127.0.0.1:${port}`, '', ...LINK_DOWN]);
    await waitFor(() => c['wrong-digest'] > before['wrong-digest'] && c['unknown-community'] > before['unknown-community'] && c['unknown-user'] > before['unknown-user'] && c['source-not-allowed'] > before['source-not-allowed'], 20_000, 'reject counters');
    expect(receiver.counters.snapshot().bySource['127.0.0.1']).toMatchObject({ 'wrong-digest': expect.any(Number) });
  });

  it('receives over IPv6 with a per-community allow-list', async () => {
    const r = await snmptrap(['-v', '2c', '-c', 'only-v6', `udp6:[::1]:${v6port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    expect(r.code, r.stderr).toBe(0);
    const e = await waitFor(() => last((e) => e.community === 'restricted'), 20_000, 'v6 trap');
    expect(e.source.address).toBe('::1');
  });

  it('survives spoofed and malformed datagrams', async () => {
    const sock = createSocket('udp4');
    const before = receiver.counters.byReason.malformed;
    const junk = [Buffer.alloc(0), Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), Buffer.from('not snmp at all'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x09])];
    for (const j of junk) await new Promise<void>((r) => sock.send(j, port, '127.0.0.1', () => r()));
    sock.close();
    await waitFor(() => receiver.counters.byReason.malformed >= before + junk.length, 20_000, 'malformed count');
    const r = await snmptrap(['-v', '2c', '-c', 's3cret-comm', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.2']);
    expect(r.code).toBe(0);
    await waitFor(() => last((e) => e.trapOid === '1.3.6.1.6.3.1.1.5.2'), 20_000, 'trap after junk');
  });
});
