import { describe, expect, it } from 'vitest';
import { CounterStore, STALE_AFTER_INTERVALS } from '../../src/poller/counter-memory.ts';

const counters = { in: { value: 1n, width: 64 as const } };

describe('CounterStore', () => {
  it('drops rows not remembered again within a few intervals of their job (churning ifIndexes do not grow memory)', () => {
    let t = 0;
    const store = new CounterStore(() => t);
    store.memoryFor('d', 60_000).remember('if.1', t, counters);
    for (let poll = 1; poll <= STALE_AFTER_INTERVALS; poll++) {
      t += 60_000;
      const mem = store.memoryFor('d', 60_000);
      expect(mem.previous('if.1')).toBeDefined();
      mem.remember(`if.${poll + 100}`, t, counters);
    }
    t += 1;
    const mem = store.memoryFor('d', 60_000);
    expect(mem.previous('if.1')).toBeUndefined();
    expect(mem.previous('if.103')).toBeDefined();
  });

  it('ages rows by time, not by how often other jobs of the device poll', () => {
    let t = 0;
    const store = new CounterStore(() => t);
    store.memoryFor('d', 300_000).remember('interfaces/1', t, counters);
    for (let i = 0; i < 20; i++) {
      t += 15_000;
      store.memoryFor('d', 60_000);
    }
    expect(store.memoryFor('d', 300_000).previous('interfaces/1')).toBeDefined();
  });

  it('a poll that outlives forget() (device removed or re-addressed) writes into nothing', () => {
    const store = new CounterStore(() => 0);
    const poll = store.device('d');
    store.forget('d');
    poll.memory(60_000).remember('interfaces/1', 0, counters);
    expect(poll.observeUptime({ ticks: 5, at: 0 })).toBe(false);
    expect(store.memoryFor('d').previous('interfaces/1')).toBeUndefined();
  });
});
