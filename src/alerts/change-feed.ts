import { SlidingWindow } from './limits.ts';
import type { AlertListener, AlertManagerStats } from './manager-options.ts';
import type { AlertChange, AlertEvent } from './types.ts';

/** The alert changes' way to the listeners: a rule's rate limit, a key's flapping, and the listeners themselves. */
export class ChangeFeed {
  private readonly listeners = new Set<AlertListener>();
  private readonly flaps = new SlidingWindow();
  private readonly rates = new SlidingWindow();
  private readonly flappingKeys = new Set<string>();

  constructor(private readonly stats: AlertManagerStats) {}

  onChange(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** what `ev` makes of its key's flapping, nothing recorded yet: flapping, and `quiet` (it was already: its change is held back) */
  flapOf(ev: AlertEvent): { flapping: boolean; quiet: boolean } | undefined {
    if (!ev.flap) return undefined;
    const flapping = this.flaps.peek(ev.key, ev.time, ev.flap.windowMs) >= ev.flap.count;
    return { flapping, quiet: flapping && this.flappingKeys.has(ev.key) };
  }

  /** records `ev`'s change in its key's flap window (once its record is saved) */
  recordFlap(ev: AlertEvent, flapping: boolean, quiet: boolean): void {
    this.flaps.hit(ev.key, ev.time, ev.flap!.windowMs, ev.flap!.count);
    if (flapping) {
      // keys of alerts that cleared and went quiet stay here: bounded, oldest forgotten first
      if (!this.flappingKeys.has(ev.key) && this.flappingKeys.size >= 100_000) this.flappingKeys.delete(this.flappingKeys.values().next().value!);
      this.flappingKeys.add(ev.key);
    } else this.flappingKeys.delete(ev.key);
    if (quiet) this.stats.suppressedFlapping++;
  }

  /** hands `change` to every listener, its notification held back when its rule's rate limit is reached */
  emit(change: AlertChange, ev?: AlertEvent): AlertChange {
    if (change.notify && ev?.rateLimit) {
      const n = this.rates.hit(`rule:${ev.rule}`, ev.time, ev.rateLimit.windowMs, ev.rateLimit.count + 1);
      if (n > ev.rateLimit.count) {
        change.notify = false;
        this.stats.suppressedRateLimit++;
      }
    }
    for (const l of this.listeners) {
      try {
        l(change);
      } catch {
        // a failing listener must not break the lifecycle; listeners handle their own errors
      }
    }
    return change;
  }
}
