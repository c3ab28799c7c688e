/**
 * Trap rules stored by a version before durations had a limit (MAX_TIMER_MS, 24d): one whose only
 * fault is a window over it loads with the window clamped and a problem line naming rule, field and
 * limit; any other fault still leaves it out, reported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/storage/state/store.ts';
import { storedRules } from '../../src/traps/state-adapters.ts';

let state: StateStore;
afterEach(() => state.close());

const stored = (doc: object, kind = 'trap') => {
  state = new StateStore(':memory:');
  state.rules.put('old', kind, doc);
  return storedRules(state);
};
const huge = `${'9'.repeat(400)}s`;

describe('a stored trap rule whose only fault is a window over 24d', () => {
  it.each([
    ['flap.window 30d', { flap: { count: 3, window: '30d' } }, { flap: { count: 3, window: '24d' } }],
    ['flap.window in seconds', { flap: { count: 3, window: 90 * 86_400 } }, { flap: { count: 3, window: '24d' } }],
    ['flap.window of 400 digits', { flap: { count: 3, window: huge } }, { flap: { count: 3, window: '24d' } }],
    ['rateLimit.per 365d', { rateLimit: { count: 5, per: '365d' } }, { rateLimit: { count: 5, per: '24d' } }],
  ] as const)('%s: loaded, clamped to 24d', (_, fields, loaded) => {
    const r = stored({ trap: 'IF-MIB::linkDown', severity: 'major', ...fields });
    expect(r.trap).toHaveLength(1);
    expect(r.trap[0]).toMatchObject({ id: 'old', severity: 'major', ...loaded });
    const path = Object.keys(fields)[0] === 'flap' ? 'flap.window' : 'rateLimit.per';
    expect(r.problems).toEqual([`rules[old].${path}: longer than 24d (the longest a timer waits): loaded as 24d`]);
  });

  it('both windows over the limit: both clamped, one line each; the stored rule is left as it was', () => {
    const doc = { trap: '*', flap: { count: 2, window: '40d' }, rateLimit: { count: 1, per: '100d' } };
    const r = stored(doc);
    expect(r.trap[0]).toMatchObject({ flap: { window: '24d' }, rateLimit: { per: '24d' } });
    expect(r.problems).toEqual([
      'rules[old].flap.window: longer than 24d (the longest a timer waits): loaded as 24d',
      'rules[old].rateLimit.per: longer than 24d (the longest a timer waits): loaded as 24d',
    ]);
    expect(state.rules.list('trap')[0].doc).toEqual(doc);
  });

  it('a window of exactly 24d loads as written, with no problem line', () => {
    const r = stored({ trap: '*', flap: { count: 2, window: '24d' } });
    expect(r.trap[0].flap).toEqual({ count: 2, window: '24d' });
    expect(r.problems).toEqual([]);
  });
});

describe('other faults still leave the stored rule out, reported', () => {
  it.each([
    ['a window over 24d and a bad severity', { trap: '*', severity: 'urgent', flap: { count: 3, window: '30d' } }, ['rules[old].severity', 'rules[old].flap.window: expected at most 24d']],
    ['a window not a duration', { trap: '*', flap: { count: 3, window: 'soon' } }, ['rules[old].flap.window: expected a duration like']],
    ['a window of 0', { trap: '*', rateLimit: { count: 3, per: '0s' } }, ['rules[old].rateLimit.per: expected a duration like']],
    ['a flap count below 2 beside a window over 24d', { trap: '*', flap: { count: 1, window: '30d' } }, ['rules[old].flap.count', 'rules[old].flap.window']],
  ] as const)('%s', (_, doc, lines) => {
    const r = stored(doc);
    expect(r.trap).toEqual([]);
    expect(r.problems).toHaveLength(lines.length);
    lines.forEach((l, i) => expect(r.problems[i]).toContain(l));
  });

  it('a stored threshold rule (no duration fields) with a bad op is reported as before', () => {
    const r = stored({ measurement: 'snmp_host', field: 'cpu', op: 'eq', value: 1 }, 'threshold');
    expect(r.threshold).toEqual([]);
    expect(r.problems.join()).toContain('rules[old].op');
  });
});
