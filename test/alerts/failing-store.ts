/** Alert stores whose saves or listings fail on demand, and the two stores the failure tests run against. */
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import type { Alert } from '../../src/alerts/types.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';

export const STORES: [string, () => AlertStore][] = [
  ['sqlite', () => alertStoreFrom(new StateStore(':memory:'))],
  ['memory', () => new MemoryAlertStore()],
];

/** `inner`, whose saves of the alerts with the keys in `keys` fail while `failing` (counted in `failedSaves`) */
export function failingStore(inner: AlertStore, keys: Iterable<string> = []) {
  const s = { failing: false, failedSaves: 0, keys: new Set<string>(keys) };
  const store: AlertStore = {
    active: (key) => inner.active(key),
    byId: (id) => inner.byId(id),
    list: (q) => inner.list(q),
    save: (a: Alert) => {
      if (s.failing && s.keys.has(a.key)) {
        s.failedSaves++;
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      inner.save(a);
    },
  };
  return Object.assign(s, { store });
}

/** `inner`, whose listings fail while `failing` (counted in `lists`, failed or not) */
export function listFailingStore(inner: AlertStore) {
  const s = { failing: false, lists: 0 };
  const store: AlertStore = {
    active: (k) => inner.active(k), byId: (i) => inner.byId(i), save: (a) => inner.save(a),
    list: (q) => {
      s.lists++;
      if (s.failing) throw new Error('SQLITE_BUSY: database is locked');
      return inner.list(q);
    },
  };
  return Object.assign(s, { store, inner });
}
