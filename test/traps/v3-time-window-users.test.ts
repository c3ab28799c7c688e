/**
 * The v3 trap time window (engine-times.ts) is fed only by authenticated messages, and each
 * configured user keeps its own clock per engine ID: keys of one user never move the clock
 * another user's traps are checked against.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { V3Credential } from '../../src/model/credentials.ts';
import { TrapsConfigSchema } from '../../src/traps/config.ts';
import type { TrapEvent } from '../../src/traps/event.ts';
import { TrapReceiver } from '../../src/traps/receiver.ts';
import { v3Trap } from './helpers.ts';

const DEVICE_ENGINE = Buffer.from('8000000001020304aabbcc90', 'hex');
const victim: V3Credential = { version: '3', user: 'device', level: 'authPriv', authProtocol: 'SHA-256', authKey: 'device-auth-pass', privProtocol: 'AES', privKey: 'device-priv-pass' };
const rogue: V3Credential = { version: '3', user: 'other', level: 'authNoPriv', authProtocol: 'SHA', authKey: 'other-auth-pass' };
const config = TrapsConfigSchema.parse({
  listen: '127.0.0.1:0',
  users: [
    { ...victim, engineIds: [DEVICE_ENGINE.toString('hex')] },
    // no engine IDs: learns any (learnEngineIds defaults to true), so it may claim the device's
    { ...rogue },
    { user: 'open', level: 'noAuthNoPriv' },
  ],
  defaultRules: false,
});

const trap = (cred: V3Credential | { user: string; level: 'noAuthNoPriv' }, boots: number, time: number, oid: string) => v3Trap(cred, DEVICE_ENGINE, boots, time, oid);

function receiver() {
  const events: TrapEvent[] = [];
  const r = new TrapReceiver({ config, now: () => 1_700_000_000_000, record: (e) => void events.push(e) });
  return { r, events, oids: () => events.map((e) => e.trapOid.split('.').at(-1)) };
}
const peer = { address: '127.0.0.1', port: 40000 };

describe('v3 trap time window: one clock per engine ID and user', () => {
  it('another user\'s keys claiming the device\'s engine ID with a boots far ahead do not get the device\'s traps refused', () => {
    const { r, oids } = receiver();
    r.handle(trap(victim, 5, 1000, '1.3.6.1.4.1.99999.0.1'), peer);
    // authentic for "other", who may claim any engine ID: boots near the maximum
    r.handle(trap(rogue, 2147483646, 1, '1.3.6.1.4.1.99999.0.2'), { address: '192.0.2.66', port: 40000 });
    r.handle(trap(victim, 5, 1010, '1.3.6.1.4.1.99999.0.3'), peer);
    expect(oids()).toEqual(['1', '2', '3']);
    expect(r.counters.byReason['not-in-time-window']).toBe(0);
  });

  it('the device\'s own clock still refuses its lower boots', () => {
    const { r, oids } = receiver();
    r.handle(trap(victim, 5, 1000, '1.3.6.1.4.1.99999.0.1'), peer);
    r.handle(trap(victim, 4, 1000, '1.3.6.1.4.1.99999.0.2'), peer);
    expect(oids()).toEqual(['1']);
    expect(r.counters.byReason['not-in-time-window']).toBe(1);
  });

  it('an unauthenticated (noAuthNoPriv) trap claiming the engine ID and any clock is not checked and moves no clock', () => {
    const { r, oids } = receiver();
    r.handle(trap({ user: 'open', level: 'noAuthNoPriv' }, 2147483646, 1, '1.3.6.1.4.1.99999.0.1'), { address: '192.0.2.66', port: 40000 });
    r.handle(trap(victim, 5, 1000, '1.3.6.1.4.1.99999.0.2'), peer);
    r.handle(trap({ user: 'open', level: 'noAuthNoPriv' }, 1, 1, '1.3.6.1.4.1.99999.0.3'), { address: '192.0.2.66', port: 40000 });
    expect(oids()).toEqual(['1', '2', '3']);
    expect(r.engineTimes.size).toBe(1);
  });
});

describe('learned engine IDs and the time window', () => {
  afterEach(() => void vi.useRealTimers());

  it('a replay refused as outside the time window records nothing (not the replayer\'s address)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const events: TrapEvent[] = [];
    const r = new TrapReceiver({ config, now: () => Date.now(), record: (e) => void events.push(e) });
    const original = trap(rogue, 3, 500, '1.3.6.1.4.1.99999.0.1');
    r.handle(original, { address: '10.0.0.1', port: 40000 });
    const learned = r.engines.get(DEVICE_ENGINE.toString('hex'));
    expect(learned).toMatchObject({ address: '10.0.0.1', user: 'other' });
    vi.setSystemTime(1_700_000_000_000 + 151_000);
    r.handle(original, { address: '192.0.2.66', port: 40000 });
    expect(r.counters.byReason['not-in-time-window']).toBe(1);
    expect(events).toHaveLength(1);
    expect(r.engines.get(DEVICE_ENGINE.toString('hex'))).toEqual(learned);
  });
});
