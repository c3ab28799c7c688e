/**
 * AlertManager.shareListing(): the sweeps of one rule reload list the active alerts once; an alert
 * cleared meanwhile is left out, one opened meanwhile has the next ask list again, and a listing that
 * failed is tried again at the next ask. Store listings counted.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import type { AlertStore } from '../../src/alerts/store.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { STORES } from './failing-store.ts';

const ev = (key: string): AlertEvent => ({ action: 'raise', key, source: 'trap', rule: 't1', device: 'r1', severity: 'major', message: key, time: 1 });

describe.each(STORES)('shareListing (%s store)', (_, makeStore) => {
  function setup() {
    const inner = makeStore();
    const s = { lists: 0, fails: false };
    const store: AlertStore = {
      active: (k) => inner.active(k), byId: (i) => inner.byId(i), save: (a) => inner.save(a),
      list: (q) => {
        s.lists++;
        if (s.fails) throw new Error('SQLITE_BUSY: database is locked');
        return inner.list(q);
      },
    };
    const m = new AlertManager(store, { logger: { warn: () => {}, info: () => {} } });
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
      s.fails = true;
      expect(keys).toThrow(/SQLITE_BUSY/);
      s.fails = false;
      return [keys(), keys()];
    });
    expect(seen).toEqual([['a', 'b'], ['a', 'b']]);
    expect(s.lists).toBe(2);
  });
});
