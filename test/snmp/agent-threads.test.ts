/** Placing agents on SNMP threads (pure): least-loaded, sticky while polled, forgotten when idle. */
import { describe, expect, it } from 'vitest';
import { AgentThreads, IDLE_MS } from '../../src/snmp/agent-threads.ts';

const MIN = 60_000;

describe('AgentThreads', () => {
  it.each<[string, number, string[], number[]]>([
    ['one thread takes every agent', 1, ['a', 'b', 'c'], [0, 0, 0]],
    ['new agents fill the least-loaded thread, lowest index first', 3, ['a', 'b', 'c', 'd', 'e'], [0, 1, 2, 0, 1]],
    ['an agent asked again stays on its thread', 2, ['a', 'b', 'a', 'b', 'c'], [0, 1, 0, 1, 0]],
  ])('%s', (_, threads, agents, expected) => {
    const p = new AgentThreads();
    expect(agents.map((a) => p.threadOf(a, threads, 0))).toEqual(expected);
  });

  it('an agent polled within the idle time keeps its thread for as long as it is polled', () => {
    const p = new AgentThreads();
    expect(p.threadOf('a', 2, 0)).toBe(0);
    expect(p.threadOf('b', 2, 0)).toBe(1);
    for (let t = MIN; t <= 60 * MIN; t += MIN) expect(p.threadOf('b', 2, t)).toBe(1);
  });

  it('agents idle longer than IDLE_MS are forgotten, and new agents fill the threads they left', () => {
    const p = new AgentThreads();
    for (const a of ['a1', 'a2', 'a3', 'a4']) p.threadOf(a, 2, 0); // a1, a3 on 0; a2, a4 on 1
    // a2 and a4 stop being polled (devices removed); a1 and a3 go on
    for (let t = MIN; t <= IDLE_MS + 2 * MIN; t += MIN) { p.threadOf('a1', 2, t); p.threadOf('a3', 2, t); }
    expect(p.counts(2)).toEqual([2, 0]);
    const t = IDLE_MS + 3 * MIN;
    expect(['n1', 'n2'].map((a) => p.threadOf(a, 2, t))).toEqual([1, 1]);
    expect(p.counts(2)).toEqual([2, 2]);
  });

  it('a forgotten agent asked again is placed afresh', () => {
    const p = new AgentThreads();
    p.threadOf('a', 2, 0);
    p.threadOf('b', 2, 0);
    for (let t = MIN; t <= IDLE_MS + 2 * MIN; t += MIN) p.threadOf('b', 2, t);
    expect(p.counts(2)).toEqual([0, 1]);
    expect(p.threadOf('a', 2, IDLE_MS + 3 * MIN)).toBe(0);
  });

  it('an agent placed on a thread a client with fewer threads does not have is moved', () => {
    const p = new AgentThreads();
    p.threadOf('a', 4, 0);
    p.threadOf('b', 4, 0);
    expect(p.threadOf('b', 4, 0)).toBe(1);
    expect(p.threadOf('b', 1, 0)).toBe(0);
    expect(p.counts(4)).toEqual([2, 0, 0, 0]);
  });
});
