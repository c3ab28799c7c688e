import { FailureLog } from './failure-log.ts';
import { failedAttempt, type Retried } from './retry.ts';
import type { AlertStore } from './store.ts';
import type { Alert } from './types.ts';

/** names (keys, devices) named in a log line at most */
const NAMES_LISTED = 20;

/** `names` for a log line: the first NAMES_LISTED, `…` after them when there are more */
export const namedUpTo = (names: readonly string[]): string => names.slice(0, NAMES_LISTED).join(', ') + (names.length > NAMES_LISTED ? ', …' : '');

/** what a sweep for things removed reads of an alert */
export type SweptAlert = Pick<Alert, 'source' | 'rule' | 'key' | 'device'>;

/** One sweep of the active alerts for things removed (devices, rules): which alerts it clears and how it lists them. */
export interface RemovalSweep {
  /** nothing to clear: no listing */
  readonly empty: boolean;
  /** whether the alert `a` is one this sweep clears */
  of(a: SweptAlert): boolean;
  /** its alerts among the active ones: from `store`, or `active()` (all of them, listed once for the sweeps of a rule reload: AlertManager.shareListing) */
  list(store: AlertStore, active: () => Alert[]): Alert[];
  /** the alerts' clearedBy: RULE_REMOVED, DEVICE_REMOVED */
  readonly by: string;
  /** what its alerts are of, in log lines: `devices removed` */
  readonly what: string;
  /** the same, in the line of a failed listing: `devices removed (sw1)` */
  readonly listing: string;
}

/**
 * The sweeps of one kind (removed devices, removed rules) that could not list the store (state.db
 * locked or failing), owed until one lists. The manager retries owed() on its timer with the
 * backoff of failed saves (retry.ts: 1 s doubling to 60 s), at each re-evaluation once due, and
 * with the next sweep of the kind, which covers what is owed.
 */
export abstract class OwedSweeps<S extends RemovalSweep> implements Retried {
  failures?: number;
  retryAt?: number;
  private readonly log = new FailureLog();

  abstract get pending(): boolean;
  /** the sweep of what is owed, to retry */
  abstract owed(): S;
  /** keeps what `sweep` covers owed; true when some of it was not owed before */
  protected abstract keep(sweep: S): boolean;
  /** what `sweep` covered is owed no longer */
  protected abstract settle(sweep: S): void;
  /** nothing is owed any more */
  protected abstract forget(): void;

  /**
   * `sweep` could not list at `now` (`err`): owed, retried later; true when worth a log line (the
   * first failure in a row, another reason, something newly owed, or a while since the last: FailureLog)
   */
  failed(sweep: S, now: number, err: unknown): boolean {
    const added = this.keep(sweep);
    failedAttempt(this, now);
    return this.log.failed(err, now, added);
  }

  /** close(): what is owed is dropped (the next start-up sweeps) */
  drop(): void {
    this.forget();
    this.failures = undefined;
    this.retryAt = undefined;
    this.log.reset();
  }

  /** `sweep` listed (or had nothing to list): what it covered is owed no longer; returns the attempts that had failed in a row */
  done(sweep: S): number {
    const failures = this.failures ?? 0;
    this.settle(sweep);
    this.failures = undefined;
    this.retryAt = undefined;
    this.log.reset();
    return failures;
  }
}
