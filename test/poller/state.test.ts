import { describe, expect, it } from 'vitest';
import { decideState } from '../../src/poller/state.ts';
import { DeviceStatusRegistry, type StateChange } from '../../src/poller/status-registry.ts';

describe('decideState', () => {
  it.each([
    [true, undefined, 'up'],
    [false, undefined, 'up'],
    [undefined, undefined, 'up'],
    [true, 'timeout', 'snmp-unreachable'],
    [false, 'timeout', 'down'],
    [undefined, 'timeout', 'down'],
    [true, 'auth', 'auth-failed'],
    [false, 'auth', 'auth-failed'],
    [undefined, 'auth', 'auth-failed'],
    [true, 'protocol', 'snmp-unreachable'],
    [false, 'protocol', 'down'],
    [undefined, 'protocol', 'snmp-unreachable'],
    // nothing was sent (host name does not resolve): not "the host is there"
    [true, 'config', 'snmp-unreachable'],
    [false, 'config', 'down'],
    [undefined, 'config', 'down'],
  ] as const)('icmp %s, snmp error %s → %s', (icmpUp, snmpErrorKind, want) => {
    expect(decideState({ icmpUp, snmpErrorKind })).toBe(want);
  });
});

describe('DeviceStatusRegistry', () => {
  it('emits a change only when the state moves and keeps the last error', () => {
    const reg = new DeviceStatusRegistry();
    const changes: StateChange[] = [];
    reg.on('change', (c) => changes.push(c));
    reg.register('sw1', '127.0.0.1', '3', 0);
    reg.report('sw1', { state: 'up', error: undefined, at: 1, durationMs: 5 });
    reg.report('sw1', { state: 'up', error: undefined, at: 2, durationMs: 5 });
    reg.report('sw1', { state: 'auth-failed', error: 'snmp: agent x: wrong digest', at: 3, durationMs: 7 });
    reg.missed('sw1');
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual(['unknown->up', 'up->auth-failed']);
    expect(changes[1]).toMatchObject({ device: 'sw1', version: '3', error: 'snmp: agent x: wrong digest', at: 3 });
    expect(reg.get('sw1')).toMatchObject({ state: 'auth-failed', since: 3, lastPollAt: 3, lastPollDurationMs: 7, missedPolls: 1, pollsDone: 3 });
    expect(reg.counts()).toEqual({ byState: { 'auth-failed': 1 }, byVersion: { 3: 1 } });
  });
});
