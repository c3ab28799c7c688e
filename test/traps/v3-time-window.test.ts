import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

const ENGINE = '8000000001020304aabbcc77';
const USER = ['-v', '3', '-u', 'tw', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'tw-auth-pass', '-x', 'AES', '-X', 'tw-priv-pass', '-e', `0x${ENGINE}`];
const config = TrapsConfigSchema.parse({
  listen: '127.0.0.1:0',
  users: [{ user: 'tw', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'tw-auth-pass', privProtocol: 'AES', privKey: 'tw-priv-pass' }],
  defaultRules: false,
});

/** what real snmptrap sends, caught on a plain socket */
async function capture(extra: string[], oid: string): Promise<Buffer> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const got: Buffer[] = [];
  sock.on('message', (b) => got.push(b));
  const r = await snmptrap([...USER, ...extra, `127.0.0.1:${sock.address().port}`, '', oid]);
  expect(r.code, r.stderr).toBe(0);
  await waitFor(() => got.length > 0, 20_000, 'captured trap');
  sock.close();
  return got[0];
}

describe('v3 traps: per-sender time window (RFC 3414 §3.2 7b)', () => {
  beforeAll(() => requireSnmptrap());

  it('a captured real snmptrap trap replayed 151 s later is refused; within 150 s it passes', async () => {
    const buf = await capture([], '1.3.6.1.4.1.99999.0.31');
    let clock = 1_700_000_000_000;
    const events: TrapEvent[] = [];
    const receiver = new TrapReceiver({ config, now: () => clock, record: (e) => void events.push(e) });
    const peer = { address: '127.0.0.1', port: 40000 };
    receiver.handle(buf, peer);
    expect(events).toHaveLength(1);
    clock += 150_000;
    receiver.handle(buf, peer); // inside the window: RFC 3414 accepts it
    expect(events).toHaveLength(2);
    clock += 1_000;
    receiver.handle(buf, peer);
    expect(events).toHaveLength(2);
    expect(receiver.counters.byReason['not-in-time-window']).toBe(1);
    expect(receiver.counters.accepted).toBe(2);
  });

  it('a replay after a newer trap from the same engine is refused as soon as it is 150 s behind', async () => {
    const old = await capture(['-Z', '7,1000'], '1.3.6.1.4.1.99999.0.32');
    const newer = await capture(['-Z', '7,1200'], '1.3.6.1.4.1.99999.0.33');
    const events: TrapEvent[] = [];
    const receiver = new TrapReceiver({ config, now: () => 0, record: (e) => void events.push(e) });
    const peer = { address: '127.0.0.1', port: 40000 };
    receiver.handle(newer, peer);
    receiver.handle(old, peer);
    expect(events.map((e) => e.trapOid)).toEqual(['1.3.6.1.4.1.99999.0.33']);
    expect(receiver.counters.byReason['not-in-time-window']).toBe(1);
  });
});

describe('v3 traps: one time window for all worker threads', () => {
  it('a replay handed to another worker than the original is refused all the same', async () => {
    const buf = await capture([], '1.3.6.1.4.1.99999.0.34');
    let clock = 1_700_000_000_000;
    const events: TrapEvent[] = [];
    const receiver = new TrapReceiver({ config: { ...config, workers: 2 }, now: () => clock, record: (e) => void events.push(e) });
    await receiver.start();
    try {
      const peer = { address: '127.0.0.1', port: 40000 };
      receiver.handle(buf, peer); // datagrams go round-robin: this one to worker 1, the next to worker 2
      await waitFor(() => events.length === 1, 10_000, 'the original trap');
      clock += 151_000;
      receiver.handle(buf, peer);
      await waitFor(() => receiver.counters.byReason['not-in-time-window'] === 1, 10_000, 'the replay refused');
      expect(events).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  });
});

describe('v3 traps from real snmptrap on loopback still pass the time window', () => {
  const events: TrapEvent[] = [];
  const receiver = new TrapReceiver({ config, record: (e) => void events.push(e) });
  let port = 0;
  beforeAll(async () => {
    requireSnmptrap();
    port = (await receiver.start())[0].port;
  });
  afterAll(() => receiver.stop());

  it('each snmptrap run (boots 1, the host uptime in hundredths as its time) is accepted; a lower boots is refused', async () => {
    for (const n of [41, 42, 43]) expect((await snmptrap([...USER, `127.0.0.1:${port}`, '', `1.3.6.1.4.1.99999.0.${n}`])).code).toBe(0);
    await waitFor(() => events.length === 3, 20_000, 'three v3 traps');
    // the sender claims a later boots, then an earlier one (snmptrapd refuses that too)
    expect((await snmptrap([...USER, '-Z', '9,100', `127.0.0.1:${port}`, '', '1.3.6.1.4.1.99999.0.44'])).code).toBe(0);
    expect((await snmptrap([...USER, `127.0.0.1:${port}`, '', '1.3.6.1.4.1.99999.0.45'])).code).toBe(0);
    await waitFor(() => receiver.counters.byReason['not-in-time-window'] === 1, 20_000, 'not-in-time-window count');
    expect(events.map((e) => e.trapOid.split('.').at(-1))).toEqual(['41', '42', '43', '44']);
  });
});
