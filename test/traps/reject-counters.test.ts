/** The per-source reject counts keep the sources rejected most recently when full. */
import { describe, expect, it } from 'vitest';
import { RejectCounters } from '../../src/traps/counters.ts';

describe('RejectCounters by source', () => {
  it('drops the source rejected least recently, not the one seen first', () => {
    const c = new RejectCounters(2);
    c.reject('unknown-community', '127.0.0.1');
    c.reject('unknown-community', '127.0.0.2');
    c.reject('wrong-digest', '127.0.0.1'); // .1 again: now .2 is the least recent
    c.reject('malformed', '127.0.0.3');
    const { bySource, byReason } = c.snapshot();
    expect(Object.keys(bySource).sort()).toEqual(['127.0.0.1', '127.0.0.3']);
    expect(bySource['127.0.0.1']).toEqual({ 'unknown-community': 1, 'wrong-digest': 1 });
    expect(byReason['unknown-community']).toBe(2); // totals stay exact
  });
});
