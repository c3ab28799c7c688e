/**
 * Which devices the runtime checks at once when a device with parents fails (checkParentChain):
 * the parents, and past snmp-unreachable ones their parents too, as cutOffBy walks the chain.
 */
import { describe, expect, it } from 'vitest';
import { checkParentChain } from '../../src/main/parent-checks.ts';
import type { DeviceState } from '../../src/model/device.ts';

function deps(parents: Record<string, string[]>, states: Record<string, DeviceState>, busy: string[] = []) {
  const calls: string[] = [];
  const queued = new Set<string>();
  return {
    calls,
    queued,
    parentsOf: (d: string) => parents[d] ?? [],
    stateOf: (d: string) => states[d],
    // like Scheduler.pollNow: one queued at a time per device
    expedite: (d: string) => {
      calls.push(d);
      if (busy.includes(d) || queued.has(d)) return 'busy';
      if (!(d in states)) return 'unknown';
      queued.add(d);
      return 'queued';
    },
  };
}

describe('checkParentChain', () => {
  it('an up parent: only it is checked', () => {
    const d = deps({ leaf: ['mid'], mid: ['core'] }, { leaf: 'down', mid: 'up', core: 'up' });
    expect(checkParentChain('leaf', d)).toEqual(['mid']);
  });

  it('an snmp-unreachable parent: it and its parents, up the chain while snmp-unreachable', () => {
    const d = deps({ leaf: ['mid'], mid: ['dist'], dist: ['core'], core: ['wan'] },
      { leaf: 'down', mid: 'snmp-unreachable', dist: 'snmp-unreachable', core: 'up', wan: 'up' });
    expect(checkParentChain('leaf', d)).toEqual(['mid', 'dist', 'core']);
  });

  it('a down ancestor blocks: neither it nor anything above it is checked', () => {
    const d = deps({ leaf: ['mid'], mid: ['core'], core: ['wan'] }, { leaf: 'down', mid: 'snmp-unreachable', core: 'down', wan: 'up' });
    expect(checkParentChain('leaf', d)).toEqual(['mid']);
    const d2 = deps({ leaf: ['mid'], mid: ['core'] }, { leaf: 'down', mid: 'down', core: 'up' });
    expect(checkParentChain('leaf', d2)).toEqual([]);
  });

  it('direct parents first, then further up; a shared ancestor (diamond) once', () => {
    const d = deps({ leaf: ['a', 'b'], a: ['core'], b: ['core'], core: ['wan'] },
      { leaf: 'down', a: 'snmp-unreachable', b: 'snmp-unreachable', core: 'snmp-unreachable', wan: 'unknown' });
    expect(checkParentChain('leaf', d)).toEqual(['a', 'b', 'core', 'wan']);
    expect(d.calls).toEqual(['a', 'b', 'core', 'wan']);
  });

  it('a loop (a config error) ends, each device asked once, the failing device never', () => {
    const d = deps({ leaf: ['a'], a: ['b'], b: ['a', 'leaf'] }, { leaf: 'down', a: 'snmp-unreachable', b: 'snmp-unreachable' });
    expect(checkParentChain('leaf', d)).toEqual(['a', 'b']);
    const self = deps({ x: ['x'] }, { x: 'snmp-unreachable' });
    expect(checkParentChain('x', self)).toEqual([]);
  });

  it('a parent unknown to the poller is asked (the poller answers unknown) but not walked past', () => {
    const d = deps({ leaf: ['gone'], gone: ['core'] }, { leaf: 'down', core: 'up' });
    expect(checkParentChain('leaf', d)).toEqual(['gone']);
  });

  it('a deep chain: bounded, one check per device', () => {
    const parents: Record<string, string[]> = {};
    const states: Record<string, DeviceState> = {};
    for (let i = 0; i < 10_000; i++) [parents[`n${i}`], states[`n${i}`]] = [[`n${i + 1}`], 'snmp-unreachable'];
    const d = deps(parents, states);
    expect(checkParentChain('n0', d)).toHaveLength(10_000);
    expect(new Set(d.calls).size).toBe(d.calls.length);
  });

  it('siblings failing together: a device already queued is not queued again (the poller refuses it)', () => {
    const d = deps({ a1: ['mid'], a2: ['mid'], mid: ['core'] }, { a1: 'down', a2: 'down', mid: 'snmp-unreachable', core: 'up' });
    checkParentChain('a1', d);
    checkParentChain('a2', d);
    expect([...d.queued]).toEqual(['mid', 'core']);
  });
});
