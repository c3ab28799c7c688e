import type { Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommunityMessage } from '../../src/snmp/wire/index.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { INFORM_TTL_MS, InformDedup } from '../../src/traps/inform-dedup.ts';
import { TIME_WINDOW_S } from '../../src/traps/engine-times.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

const config = TrapsConfigSchema.parse({ listen: '127.0.0.1:0', communities: [{ name: 'lab', community: 'dedup-comm' }], defaultRules: false });

const inform = (requestId: number) => encodeCommunityMessage({
  version: '2c', community: Buffer.from('dedup-comm'),
  pdu: { type: 'InformRequest', requestId, errorStatus: 0, errorIndex: 0, varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 5 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: 'OID', value: '1.3.6.1.6.3.1.1.5.1' },
  ] },
});

describe('inform retries: re-acked, recorded once', () => {
  const events: TrapEvent[] = [];
  let recordDelayMs = 0;
  const receiver = new TrapReceiver({
    config,
    record: async (e) => {
      events.push(e); // on entry: a second recording shows before the first one resolves
      if (recordDelayMs) await new Promise((r) => setTimeout(r, recordDelayMs));
    },
  });
  let port = 0;
  beforeAll(async () => {
    requireSnmptrap();
    port = (await receiver.start())[0].port;
  });
  afterAll(() => receiver.stop());

  it('a real snmpinform retrying while the first copy is still being recorded gets its ack and one record', async () => {
    recordDelayMs = 2500; // well past the sender's 1 s timeout (even on a loaded machine): it retries the same request-id
    const r = await snmptrap(['-Ci', '-r', '3', '-t', '1', '-v', '2c', '-c', 'dedup-comm', `127.0.0.1:${port}`, '', '1.3.6.1.4.1.99999.0.1']);
    recordDelayMs = 0;
    expect(r.code, r.stderr).toBe(0);
    expect(events.filter((e) => e.trapOid === '1.3.6.1.4.1.99999.0.1')).toHaveLength(1);
    expect(receiver.counters.duplicateInforms).toBeGreaterThan(0);
  });
});

describe('inform dedup through handle()', () => {
  const setup = (record: (e: TrapEvent) => Promise<void>) => {
    const sent: string[] = [];
    const sock = { send: (_b: Uint8Array, port: number, address: string) => void sent.push(`${address}:${port}`) } as unknown as Socket;
    return { receiver: new TrapReceiver({ config, record }), sock, sent };
  };

  it('a retry after the ack was lost is acked again and not recorded twice; another request-id or port is new', async () => {
    const recorded: TrapEvent[] = [];
    const { receiver, sock, sent } = setup(async (e) => void recorded.push(e));
    const peer = { address: '192.0.2.7', port: 40000 };
    receiver.handle(inform(42), peer, sock);
    await waitFor(() => sent.length === 1, 20_000, 'first ack');
    receiver.handle(inform(42), peer, sock);
    await waitFor(() => sent.length === 2, 20_000, 'second ack');
    expect(recorded).toHaveLength(1);
    receiver.handle(inform(43), peer, sock);
    receiver.handle(inform(42), { ...peer, port: 40001 }, sock);
    await waitFor(() => sent.length === 4, 20_000, 'acks of new informs');
    expect(recorded).toHaveLength(3);
    expect(receiver.counters.snapshot()).toMatchObject({ accepted: 3, informsAcked: 4, duplicateInforms: 1 });
  });

  it('a retry of an inform whose recording failed is recorded (and acked) then', async () => {
    let fail = true;
    const recorded: TrapEvent[] = [];
    const { receiver, sock, sent } = setup(async (e) => {
      if (fail) throw new Error('store down');
      recorded.push(e);
    });
    const peer = { address: '192.0.2.8', port: 40000 };
    receiver.handle(inform(7), peer, sock);
    await waitFor(() => receiver.counters.byReason['record-failed'] === 1, 20_000, 'record failure');
    expect(sent).toHaveLength(0);
    fail = false;
    receiver.handle(inform(7), peer, sock);
    await waitFor(() => sent.length === 1, 20_000, 'ack of the retry');
    expect(recorded).toHaveLength(1);
  });
});

describe('InformDedup remembers a recorded inform through the whole v3 time window', () => {
  it('a copy arriving just inside the 150 s window is a retry, not a new inform; forgotten after the TTL', () => {
    const d = new InformDedup();
    expect(d.check('k', () => undefined, 0)).toBe('new');
    d.recorded('k', 0);
    expect(d.check('k', () => undefined, TIME_WINDOW_S * 1000)).toBe('recorded');
    expect(d.check('k', () => undefined, INFORM_TTL_MS)).toBe('new');
  });
});

describe('InformDedup when full: informs being recorded are never forgotten', () => {
  it('makes room by forgetting the oldest recorded inform, not one being recorded', () => {
    const d = new InformDedup(120_000, 3);
    const acks: string[] = [];
    expect(d.check('a', () => acks.push('a'), 0)).toBe('new');
    expect(d.check('b', () => acks.push('b'), 0)).toBe('new');
    d.recorded('b', 1);
    expect(d.check('c', () => acks.push('c'), 2)).toBe('new');
    expect(d.check('a', () => acks.push('a retry'), 3)).toBe('pending');
    expect(d.check('d', () => acks.push('d'), 4)).toBe('new'); // forgets b, the only recorded one
    expect(d.check('b', () => acks.push('b'), 5)).toBe('full'); // a, c, d are all being recorded
    d.recorded('a', 6);
    expect(acks).toEqual(['a retry']); // the retry waiting on a kept its ack
    expect(d.check('a', () => undefined, 7)).toBe('recorded');
  });

  it('refuses a new inform while every held one is being recorded, and takes it once one is', () => {
    const d = new InformDedup(120_000, 2);
    d.check('a', () => undefined, 0);
    d.check('b', () => undefined, 0);
    expect(d.check('c', () => undefined, 0)).toBe('full');
    d.failed('a');
    expect(d.check('c', () => undefined, 0)).toBe('new');
    expect(d.inFlight).toBe(2);
  });
});

describe('receiver with 10,000 informs being recorded', () => {
  it('neither records nor acks the next new inform (counted overload; the sender retries), and acks the held ones', async () => {
    const sent: number[] = [];
    const sock = { send: () => void sent.push(1) } as unknown as Socket;
    const release: (() => void)[] = [];
    const recorded: TrapEvent[] = [];
    const receiver = new TrapReceiver({
      config: { ...config, maxInFlight: 20_000 },
      record: (e) => new Promise<void>((r) => { recorded.push(e); release.push(r); }),
    });
    const peer = { address: '192.0.2.9', port: 40000 };
    for (let id = 1; id <= 10_000; id++) receiver.handle(inform(id), peer, sock);
    receiver.handle(inform(1), peer, sock); // a retry of a held one waits for its first copy
    receiver.handle(inform(10_001), peer, sock);
    expect(recorded).toHaveLength(10_000);
    expect(receiver.counters.byReason.overload).toBe(1);
    for (const r of release) r();
    await waitFor(() => sent.length === 10_001, 20_000, 'acks of the held informs and the retry');
    receiver.handle(inform(10_001), peer, sock); // its sender's retry, now there is room
    expect(recorded).toHaveLength(10_001);
  });
});
