import type { AlertCore } from './alert-core.ts';
import { dueAt } from './retry.ts';

/** The one timer of the manager: at the earliest end of a parent hold or recovery grace, or retry of a change not saved or of a sweep owed (removed devices, rules). */
export class HoldTimer {
  private timer: NodeJS.Timeout | undefined;
  private at = Infinity;
  /** what it is set at may be out of date: a hold, grace or change not saved came, went or was put off since arm() looked, or it fired or stopped */
  private stale = true;

  constructor(private readonly core: AlertCore, private readonly fire: () => void) {}

  /** a hold, grace (or its end's place in a slice) or change not saved came, went or was put off: the next arm() looks again */
  changed(): void {
    this.stale = true;
  }

  /** set at the earliest end or retry due (one that fires early finds nothing due and re-arms); nothing to do when nothing changed since it was set */
  arm(): void {
    if (!this.stale) return;
    this.stale = false;
    const { core } = this;
    let next = Infinity;
    for (const h of core.holds.byKey.values()) next = Math.min(next, dueAt(h));
    // a grace whose end waits for its slice is not due again
    next = Math.min(next, core.graces.nextDue(core.pending.graceEnds));
    for (const u of core.unsaved.byKey.values()) if (u.retryAt < next) next = u.retryAt;
    for (const o of core.owedSweeps) if (o.pending) next = Math.min(next, o.retryAt ?? 0);
    for (const r of core.owedRuns.values()) next = Math.min(next, r.retryAt ?? 0);
    if (core.closed) next = Infinity;
    if (next === this.at) return;
    this.stop();
    if (next === Infinity) return;
    this.at = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.at = Infinity;
      this.stale = true;
      this.fire();
    }, Math.max(0, next - core.now()));
    this.timer.unref?.();
  }

  /** arm() when `at` comes before the time it is set at */
  armBefore(at: number): void {
    if (at < this.at) this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Infinity;
    this.stale = true;
  }
}
