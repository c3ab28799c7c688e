import { describe, expect, it } from 'vitest';
import { CounterStore } from '../../src/poller/counter-memory.ts';

describe('CounterStore', () => {
  it('drops rows no poll has remembered for a few polls (churning ifIndexes do not grow memory)', () => {
    const store = new CounterStore();
    const counters = { in: { value: 1n, width: 64 as const } };
    store.memoryFor('d').remember('if.1', 0, counters);
    for (let poll = 1; poll <= 3; poll++) {
      const mem = store.memoryFor('d');
      expect(mem.previous('if.1')).toBeDefined();
      mem.remember(`if.${poll + 100}`, poll, counters);
    }
    const mem = store.memoryFor('d');
    expect(mem.previous('if.1')).toBeUndefined();
    expect(mem.previous('if.103')).toBeDefined();
  });
});
