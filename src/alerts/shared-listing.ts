import type { AlertListener } from './manager-options.ts';
import type { AlertStore } from './store.ts';
import type { Alert } from './types.ts';

/** one share(): the listing once read, and the keys cleared since it began */
interface Session {
  alerts?: Alert[];
  cleared: Set<string>;
}

/**
 * The active alerts, listed once for the sweeps of one rule reload (trap, threshold, device-state
 * and removed-rule sweeps each list them): read at the first ask within share(), the alerts cleared
 * since left out; any other change (an alert opened, repeated) has the next ask list the store again.
 * A listing that throws is not kept: the next ask tries again, as each sweep did on its own.
 */
export class SharedListing {
  private session: Session | undefined;

  constructor(private readonly store: AlertStore, private readonly onChange: (l: AlertListener) => () => void) {}

  /** the active alerts: the store's listing, or within share() the one shared */
  active(): Alert[] {
    const s = this.session;
    if (!s) return this.store.list({ state: 'active' });
    s.alerts ??= this.store.list({ state: 'active' });
    return s.cleared.size ? s.alerts.filter((a) => !s.cleared.has(a.key)) : s.alerts;
  }

  /**
   * runs `fn` with its active() calls sharing one listing (a call within another shares the outer
   * one); the sharing ends when `fn` returns or throws (a promise it returns is not waited for)
   */
  share<T>(fn: () => T): T {
    if (this.session) return fn();
    const s: Session = { cleared: new Set() };
    const off = this.onChange((c) => {
      if (c.kind === 'cleared') s.cleared.add(c.alert.key);
      else {
        s.alerts = undefined;
        s.cleared.clear();
      }
    });
    this.session = s;
    try {
      return fn();
    } finally {
      off();
      this.session = undefined;
    }
  }
}
