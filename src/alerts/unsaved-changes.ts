import { errorMessage } from '../errors/index.ts';
import type { AlertCore } from './alert-core.ts';
import { failedAttempt, type Retried } from './retry.ts';
import { SEVERITY_RANK, type AlertEvent } from './types.ts';

/** a source's change of one key: a raise (raises not saved coalesce: the latest event, the worst severity, the first time, every repeat counted), a clear, or the end of a table-full episode */
export type SourceChange =
  | { action: 'raise'; ev: AlertEvent; firstSeen: number; times: number }
  | { action: 'clear'; by: string; time: number; ev?: AlertEvent }
  | { action: 'end-full'; time: number };

/**
 * A source change whose record could not be saved: nothing of it changed or was sent; redone by
 * the timer, at each re-evaluation once due, and first thing when the next change of its key comes.
 */
export type Unsaved = Required<Retried> & SourceChange;

/** two raises of one key not saved, as one: the later event, with the worse severity and both events' labels */
export function joined(first: AlertEvent, next: AlertEvent): AlertEvent {
  const severity = SEVERITY_RANK[first.severity] < SEVERITY_RANK[next.severity] ? first.severity : next.severity;
  return { ...next, severity, labels: { ...first.labels, ...next.labels } };
}

/** The source changes not saved, by key, waiting to be redone (Unsaved); `maxActive` at most. */
export class UnsavedChanges {
  private readonly unsaved = new Map<string, Unsaved>();
  /** `maxActive` unsaved changes wait: further ones are dropped (logged once until none wait) */
  private full = false;

  constructor(private readonly core: AlertCore) {}

  get byKey(): ReadonlyMap<string, Unsaved> {
    return this.unsaved;
  }

  /** keeps `change` of `key`, not saved (`err`), to be redone, its failures counted on from `failures`; beyond `maxActive` waiting, a new key's is dropped */
  keep(key: string, change: SourceChange, failures: number, err: unknown): void {
    const { core } = this;
    if (!this.unsaved.has(key) && this.unsaved.size >= core.maxActive) {
      core.stats.droppedUnsaved++;
      if (!this.full) core.logger.warn(`alerts: ${core.maxActive} alert changes wait for the store already: the ${change.action} of ${key} is dropped, as are the next ones until they are saved (stats.droppedUnsaved): ${errorMessage(err)}`);
      this.full = true;
      return;
    }
    const u: Unsaved = { ...change, failures, retryAt: 0 };
    this.failedAgain(key, u, err);
    this.unsaved.set(key, u);
    core.timer.changed();
    core.timer.armBefore(u.retryAt);
  }

  /** a redo of `u` failed: counted, its retry put off, logged once */
  failedAgain(key: string, u: Unsaved, err: unknown): void {
    failedAttempt(u, this.core.now());
    this.core.timer.changed();
    this.core.saver.noteFailure(key, `saving the ${u.action} of ${key} failed: nothing changed or sent, tried again until saved`, err);
  }

  /** forgets the change of `key` not saved (done, or overtaken by a later one) */
  drop(key: string): void {
    if (!this.unsaved.delete(key)) return;
    this.core.timer.changed();
    this.core.saver.forgetFailures(key);
    if (this.unsaved.size === 0) this.full = false;
  }
}
