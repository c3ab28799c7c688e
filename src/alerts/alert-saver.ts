import { errorMessage } from '../errors/index.ts';
import type { AlertManagerLogger } from './manager-options.ts';
import type { AlertStore } from './store.ts';
import type { Alert, AlertChange, AlertSuppression } from './types.ts';

/** an alert's fields as they are now (its labels copied: a repeat merges into them) */
export const snapshot = (a: Alert): Alert => ({ ...a, labels: { ...a.labels } });

/** puts `a` back as `before` was, dropping fields set since */
function restore(a: Alert, before: Alert): void {
  for (const k of Object.keys(a)) if (!(k in before)) delete (a as unknown as Record<string, unknown>)[k];
  Object.assign(a, before);
}

/**
 * An alert changed in memory whose save waits for its batch's commit (commitBatch): `done` runs
 * once it is saved (the manager's state follows) and gives the change to announce; `failed` once it
 * is not, the alert put back as `before` (`logged`: the batch's failure was logged already, once for all).
 */
export interface PlannedSave {
  alert: Alert;
  before: Alert;
  done(): AlertChange;
  failed(err: unknown, logged: boolean): void;
}

/** The manager's writes to its store: an alert not saved is put back as it was; failures logged once per key, and once per run of failed batch commits. */
export class AlertSaver {
  /** keys whose save failed, logged once, → failed attempts since: one info line when a save of the key works again */
  private readonly failing = new Map<string, number>();
  /** batch commits (saveAll) failed in a row: logged at the first, and once when a store write works again (a batch or one save) */
  private batchFailures = 0;

  constructor(private readonly store: AlertStore, private readonly logger: AlertManagerLogger) {}

  /**
   * Saves `alert`; when that fails it is put back as `before` (the store may hold this very
   * object, as the memory store does) and it throws. A key whose failure was logged is logged
   * once more when a save of it works again.
   */
  save(alert: Alert, before?: Alert): void {
    try {
      this.store.save(alert);
    } catch (err) {
      if (before) restore(alert, before);
      throw err;
    }
    this.storeWritesAgain((n) => `the store saves again (${alert.key} saved) after ${n} failed batch commits`);
    if (this.failing.size > 0) this.savedAgain(alert.key);
  }

  /** saves the alert with this suppression; when the save fails the alert keeps its old one (the store's may be the same object) and it throws */
  saveSuppression(alert: Alert, suppressed: AlertSuppression): void {
    const before = snapshot(alert);
    alert.suppressed = suppressed;
    this.save(alert, before);
  }

  /**
   * Saves the alerts of `planned` — all in one transaction when the store has saveAll, else one by
   * one — then runs `done` of each saved and returns their changes in order, to announce once the
   * manager's state has followed them all; `failed` of each not saved, put back as it was first:
   * nothing is announced that is not saved. A failed transaction saved none: all are put back,
   * logged once (`what`).
   */
  commitBatch(planned: readonly PlannedSave[], what: string): AlertChange[] {
    if (planned.length === 0) return [];
    let saved: readonly PlannedSave[] = planned;
    if (this.store.saveAll && planned.length > 1) {
      try {
        this.store.saveAll(planned.map((p) => p.alert));
      } catch (err) {
        for (const p of planned) restore(p.alert, p.before);
        if (++this.batchFailures === 1) {
          this.logger.warn(`alerts: saving ${planned.length} ${what} in one transaction failed (the first of ${planned[0]!.alert.key}): none saved or sent, each stays as it was and is tried again: ${errorMessage(err)}`);
        }
        for (const p of planned) p.failed(err, true);
        return [];
      }
      this.storeWritesAgain((n) => `a batch of ${planned.length} ${what} saved after ${n} failed attempts`);
      if (this.failing.size > 0) for (const p of planned) this.savedAgain(p.alert.key);
    } else {
      const ok: PlannedSave[] = [];
      for (const p of planned) {
        try {
          this.save(p.alert, p.before);
          ok.push(p);
        } catch (err) {
          p.failed(err, false);
        }
      }
      saved = ok;
    }
    return saved.map((p) => p.done());
  }

  /** a change of `key` not read or saved: `what` (scope, target, what happens now) and the cause, logged once until a save of it works */
  noteFailure(key: string, what: string, err: unknown): void {
    const n = (this.failing.get(key) ?? 0) + 1;
    this.failing.set(key, n);
    if (n === 1) this.logger.warn(`alerts: ${what}: ${errorMessage(err)}`);
  }

  /** the failures of `key` no longer count (its change dropped): the next one is logged again */
  forgetFailures(key: string): void {
    this.failing.delete(key);
  }

  /** a store write worked: a run of failed batch commits is over (logged, `said` of their number), the next failed one is logged again */
  private storeWritesAgain(said: (failures: number) => string): void {
    if (this.batchFailures === 0) return;
    this.logger.info(`alerts: ${said(this.batchFailures)}`);
    this.batchFailures = 0;
  }

  private savedAgain(key: string): void {
    const n = this.failing.get(key);
    if (n === undefined) return;
    this.failing.delete(key);
    this.logger.info(`alerts: ${key} saved again after ${n} failed attempts`);
  }
}
