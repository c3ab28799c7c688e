/** The harness of the recovery-grace batch tests: a core-1 with children acc-N, a store counting its commits (failing on demand), the manager and what it announced. */
import { expect } from 'vitest';
import type { AlertCore } from '../../src/alerts/alert-core.ts';
import { DeviceStateAlerts } from '../../src/alerts/device-state.ts';
import { AlertManager } from '../../src/alerts/manager.ts';
import { MemoryAlertStore, type AlertStore } from '../../src/alerts/store.ts';
import { suppressorFrom } from '../../src/alerts/suppression.ts';
import type { AlertChange } from '../../src/alerts/types.ts';
import type { DeviceState } from '../../src/model/device.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { alertStoreFrom } from '../../src/traps/state-adapters.ts';
import { recordingNotifier } from './recording-notifier.ts';

export const T0 = Date.parse('2026-12-06T22:00:00Z');
export const HOLD = 30_000;
export const CHILDREN = Array.from({ length: 10 }, (_, i) => `acc-${i}`);
export const keyOf = (device: string) => `device-state:${device}:down`;

/** recovery graces whose end fell due on the timer and waits for its slice */
export const graceEndsWaiting = (m: AlertManager): number => (m as unknown as { core: AlertCore }).core.pending.graceEnds.size;

export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `inner`'s records, with a saveAll that counts its commits and fails while `failing`: on SQLite
 * in the middle of a real transaction (its first saves rolled back), on the memory store before any.
 */
export function batchStore(kind: 'sqlite' | 'memory') {
  const state = kind === 'sqlite' ? new StateStore(':memory:') : undefined;
  const inner: AlertStore = state ? alertStoreFrom(state) : new MemoryAlertStore();
  const s = { failing: false, saves: 0, commits: [] as number[], failedCommits: 0, inner };
  const store: AlertStore = {
    active: (key) => inner.active(key),
    byId: (id) => inner.byId(id),
    list: (q) => inner.list(q),
    save: (a) => {
      s.saves++;
      inner.save(a);
    },
    saveAll: (alerts) => {
      if (s.failing) {
        s.failedCommits++;
        if (state) {
          state.transaction(() => {
            state.alerts.save(alerts[0]!);
            throw new Error('SQLITE_BUSY: database is locked');
          });
        }
        throw new Error('SQLITE_BUSY: database is locked');
      }
      s.commits.push(alerts.length);
      if (state) state.alerts.saveAll(alerts);
      else inner.saveAll!(alerts);
    },
  };
  return Object.assign(s, { store });
}

export function setup(kind: 'sqlite' | 'memory', sliceSize?: number, children = CHILDREN) {
  const states: Record<string, DeviceState> = { 'core-1': 'up' };
  const ctx = {
    windows: () => [], tagsOf: () => undefined,
    parentsOf: (d: string) => (d.startsWith('acc-') ? ['core-1'] : []), stateOf: (d: string) => states[d] ?? 'up',
  };
  const db = batchStore(kind);
  const warnings: string[] = [];
  const infos: string[] = [];
  const rechecks: string[] = [];
  const m = new AlertManager(db.store, {
    suppressor: suppressorFrom(ctx),
    parentHold: { ms: HOLD, parentsOf: ctx.parentsOf, stateOf: ctx.stateOf, recheck: (d) => void rechecks.push(d) },
    logger: { warn: (w) => warnings.push(w), info: (i) => infos.push(i) },
    sliceSize,
  });
  const { changes, notified } = recordingNotifier(m, T0);
  // what each change found in the store when it was announced
  const announcedSaved: boolean[] = [];
  m.onChange((c: AlertChange) => announcedSaved.push(JSON.stringify(db.inner.active(c.alert.key)?.suppressed ?? null) === JSON.stringify(c.alert.suppressed ?? null)));
  const deviceAlerts = new DeviceStateAlerts(m);
  // src/main on a poller state change: the device's alert, then the alerts its state decides
  const change = (device: string, to: DeviceState) => {
    const from = states[device] ?? 'up';
    states[device] = to;
    deviceAlerts.handle({ device, from, to, time: Date.now() });
    return m.reevaluateSuppressed(Date.now(), device);
  };
  const reasons = () => children.map((d) => db.inner.active(keyOf(d))?.suppressed?.reason);
  /** core-1 down, then every child down (suppressed at once: their parent is known down) */
  const outage = () => {
    change('core-1', 'down');
    for (const d of children) change(d, 'down');
    expect(m.suppressedCount).toBe(children.length);
    db.saves = 0;
    db.commits = [];
  };
  return { m, db, states, warnings, infos, rechecks, changes, notified, announcedSaved, change, reasons, outage };
}
