/**
 * AlertManager.shareListing(): the sweeps of one rule reload list the active alerts once; an alert
 * cleared meanwhile is left out, one opened meanwhile has the next ask list again, and a listing that
 * failed is tried again at the next ask. Store listings counted.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { listFailingStore, STORES } from './failing-store.ts';

const ev = (key: string): AlertEvent => ({ action: 'raise', key, source: 'trap', rule: 't1', device: 'r1', severity: 'major', message: key, time: 1 });

describe.each(STORES)('shareListing (%s store)', (_, makeStore) => {
  function setup() {
    const s = listFailingStore(makeStore());
    const m = new AlertManager(s.store, { logger: { warn: () => {}, info: () => {} } });
    m.raise(ev('a'));
    m.raise(ev('b'));
    s.lists = 0;
    const keys = () => m.listActive().map((a) => a.key).sort();
    return { m, s, keys };
  }

  it('one listing for every ask within it; an alert cleared meanwhile left out', () => {
    const { m, s, keys } = setup();
    const seen = m.shareListing(() => {
      const first = keys();
      m.clearKey('a', 'auto', 2);
      return [first, keys(), m.shareListing(keys)];
    });
    expect(seen).toEqual([['a', 'b'], ['b'], ['b']]);
    expect(s.lists).toBe(1);
    // after it: the store's own listing again
    expect(keys()).toEqual(['b']);
    expect(s.lists).toBe(2);
  });

  it('an alert opened meanwhile: the next ask lists again and has it', () => {
    const { m, s, keys } = setup();
    const seen = m.shareListing(() => [keys(), (m.raise(ev('c')), keys()), keys()]);
    expect(seen).toEqual([['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(s.lists).toBe(2);
  });

  it('a listing that fails is not kept: the next ask lists again', () => {
    const { m, s, keys } = setup();
    const seen = m.shareListing(() => {
      s.failing = true;
      expect(keys).toThrow(/SQLITE_BUSY/);
      s.failing = false;
      return [keys(), keys()];
    });
    expect(seen).toEqual([['a', 'b'], ['a', 'b']]);
    expect(s.lists).toBe(2);
  });

  // what a sweep reads of an alert (labels, device) may change with any of these: the next ask lists again and sees it
  it.each([
    ['repeated', (m: AlertManager) => m.raise({ ...ev('a'), labels: { state: 'down' } })],
    ['escalated', (m: AlertManager) => m.raise({ ...ev('a'), severity: 'critical' })],
    ['acknowledged', (m: AlertManager) => m.acknowledge(m.store.active('a')!.id, 'op')],
  ] as const)('an alert %s meanwhile: the next ask lists again and has it as it is now', (kind, change) => {
    const { m, s } = setup();
    const a = () => m.listActive().find((x) => x.key === 'a')!;
    const seen = m.shareListing(() => [a(), (change(m), a())]);
    expect(s.lists).toBe(2);
    expect(seen[1]).toEqual(m.store.active('a'));
    expect(seen[1]).toMatchObject(kind === 'repeated' ? { count: 2, labels: { state: 'down' } } : kind === 'escalated' ? { severity: 'critical' } : { state: 'acknowledged' });
  });

  it('fn throwing ends the sharing: the next asks read the store, each', () => {
    const { m, s, keys } = setup();
    expect(() => m.shareListing(() => {
      keys();
      throw new Error('reload failed');
    })).toThrow('reload failed');
    m.clearKey('a', 'auto', 2);
    expect([keys(), keys()]).toEqual([['b'], ['b']]);
    expect(s.lists).toBe(3);
  });
});
