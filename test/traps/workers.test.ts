import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { requireSnmptrap, snmptrap, waitFor } from './helpers.ts';

const events: TrapEvent[] = [];
let port = 0;
const receiver = new TrapReceiver({
  config: TrapsConfigSchema.parse({
    listen: '127.0.0.1:0',
    workers: 2,
    communities: [{ name: 'lab', community: 'w-comm' }],
    users: [{ user: 'wuser', level: 'authPriv', authProtocol: 'SHA-512', authKey: 'w-auth-pass', privProtocol: 'AES-256', privKey: 'w-priv-pass' }],
  }),
  resolveDevice: (a) => (a === '127.0.0.1' ? 'lab' : undefined),
  // shows the bytes an OCTET STRING's display hint gets, after they crossed the worker boundary
  translator: { translate: () => undefined, formatValue: (_oid, _type, _value, raw) => (raw ? `bytes ${Buffer.from(raw).toString('hex')}` : undefined) },
  record: async (e) => {
    events.push(e);
  },
});

beforeAll(async () => {
  requireSnmptrap();
  port = (await receiver.start())[0].port;
});
afterAll(async () => {
  await receiver.stop();
});

describe('TrapReceiver with worker threads', () => {
  it('v2c trap, v3 SHA-512/AES-256 trap (engine learned) and v3 inform through the pool', async () => {
    expect((await snmptrap(['-v', '2c', '-c', 'w-comm', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.1'])).code).toBe(0);
    const v3 = ['-v', '3', '-u', 'wuser', '-l', 'authPriv', '-a', 'SHA-512', '-A', 'w-auth-pass', '-x', 'AES-256', '-X', 'w-priv-pass'];
    expect((await snmptrap([...v3, '-e', '0x80000000c0ffee01', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.2'])).code).toBe(0);
    const inform = await snmptrap(['-Ci', '-r', '1', '-t', '3', ...v3, `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.1', 'i', '1']);
    expect(inform.code, inform.stderr).toBe(0);
    await waitFor(() => events.length >= 3, 20_000, 'three events');
    // two workers: completion order is not arrival order
    expect(events.map((e) => [e.version, e.pdu, e.device]).sort()).toEqual([['2c', 'TrapV2', 'lab'], ['3', 'InformRequest', 'lab'], ['3', 'TrapV2', 'lab']]);
    await waitFor(() => receiver.engines.get('80000000c0ffee01'), 20_000, 'learned engine forwarded from the worker');
    expect(receiver.counters.discoveries).toBeGreaterThan(0);
  });

  it('an OCTET STRING reaches the translator as its bytes, not its hex text', async () => {
    expect((await snmptrap(['-v', '2c', '-c', 'w-comm', `127.0.0.1:${port}`, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.6.2', 'x', '001122334455'])).code).toBe(0);
    const e = await waitFor(() => events.find((x) => x.trapOid === '1.3.6.1.6.3.1.1.5.4'), 20_000, 'the linkUp event');
    expect(e.varbinds[0]).toMatchObject({ value: '00 11 22 33 44 55', display: 'bytes 001122334455' });
  });
});
