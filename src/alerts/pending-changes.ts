import type { DeviceState } from '../model/device.ts';
import type { Suppressor } from './suppression.ts';

/**
 * A suppressed key's re-evaluation left for a later event-loop turn: when the run that asked ran,
 * and its device's state then (parentHold.stateOf; absent: asked when it runs). The recovery
 * grace is decided on that state, as the run would have: a child whose alert clears before its
 * turn (it came back) is then re-evaluated first and clears silently in its grace, not released.
 */
export interface Deferred {
  at: number;
  deviceState?: { state: DeviceState | undefined };
}

/**
 * A recovery grace whose end fell due on the hold timer, left for a later event-loop turn (its
 * slice): when it fell due and how it ended (`not back up within 30 s`). Ended before any other
 * change of its alert, as if the timer had.
 */
export interface GraceEnd {
  at: number;
  outcome: string;
  /** the suppressor's answer when it fell due (its parents' states then): a parent down again later does not change how it ends */
  decision: ReturnType<Suppressor>;
}

/** entries by key in the order queued, their keys by device */
export class DeviceKeyedQueue<T> {
  private readonly entries = new Map<string, { value: T; device: string | undefined }>();
  private readonly byDevice = new Map<string, Set<string>>();

  /** `changed`: runs when a key is queued or leaves the queue */
  constructor(private readonly changed: () => void = () => {}) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** queues `value` last; a key queued already keeps its place, with this value and device. `device` undefined: not found by keysOf() */
  add(key: string, value: T, device: string | undefined): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.unindex(key, entry.device);
      entry.value = value;
      entry.device = device;
    } else {
      this.entries.set(key, { value, device });
      this.changed();
    }
    if (device === undefined) return;
    const keys = this.byDevice.get(device);
    if (keys) keys.add(key);
    else this.byDevice.set(device, new Set([key]));
  }

  /** the entry of `key`, no longer queued */
  take(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.unindex(key, entry.device);
    this.changed();
    return entry.value;
  }

  private unindex(key: string, device: string | undefined): void {
    if (device === undefined) return;
    const keys = this.byDevice.get(device);
    keys?.delete(key);
    if (keys?.size === 0) this.byDevice.delete(device);
  }

  /** the first `n` keys, in their order, still queued */
  firstKeys(n: number): string[] {
    const keys: string[] = [];
    for (const key of this.entries.keys()) {
      if (keys.length >= n) break;
      keys.push(key);
    }
    return keys;
  }

  /** the keys queued under `device`, in their order */
  keysOf(device: string): string[] {
    return [...(this.byDevice.get(device) ?? [])];
  }

  clear(): void {
    this.entries.clear();
    this.byDevice.clear();
    this.changed();
  }
}

/**
 * The changes of alerts left for later event-loop turns (slices), each settled before any other
 * change of its alert: first a recovery grace's end that fell due on the hold timer (as the timer
 * decided it), then a re-evaluation a run left for later. They wait in two queues because a slice
 * takes every grace end before any re-evaluation, each queue in its own order (a key's place in
 * one says nothing of its place in the other).
 */
export class PendingChanges {
  /** recovery graces whose end fell due on the timer and waits for its slice (keys by the grace's device) */
  readonly graceEnds: DeviceKeyedQueue<GraceEnd>;
  /** suppressed keys a re-evaluation left for a later slice (keys by their alert's device when queued) */
  readonly reevaluations = new DeviceKeyedQueue<Deferred>();
  private idleWaiters: (() => void)[] = [];

  /** `graceEndsChanged`: a grace's end was queued or left the queue (the hold timer does not wait for those queued) */
  constructor(graceEndsChanged: () => void = () => {}) {
    this.graceEnds = new DeviceKeyedQueue<GraceEnd>(graceEndsChanged);
  }

  idle(): boolean {
    return this.reevaluations.size === 0 && this.graceEnds.size === 0;
  }

  /** resolves once nothing waits (at once when nothing does) */
  whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** resolves whenIdle() if nothing waits any more */
  wakeIfIdle(): void {
    if (this.idle()) this.wake();
  }

  /** drops every change waiting (shutdown) and resolves whenIdle() */
  close(): void {
    this.reevaluations.clear();
    this.graceEnds.clear();
    this.wake();
  }

  private wake(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
