import { errorMessage } from '../errors/index.ts';

/** a retry that goes on failing for the reason last logged is logged again after this long */
export const FAILURE_RELOG_MS = 10 * 60_000;

/**
 * Which failed attempts in a row (of an owed sweep, retried up to once a minute) get a log line:
 * the first, one failing for another reason than the last line said, one the caller says
 * changed something (a sweep newly owed), and otherwise one per FAILURE_RELOG_MS: a failure
 * that goes on stays in the log without a line each retry.
 */
export class FailureLog {
  /** the reason of the last line, until the attempts succeed */
  private reason?: string;
  private loggedAt = 0;

  /** an attempt failed with `err` at `now`; true when worth a line */
  failed(err: unknown, now: number, changed = false): boolean {
    const reason = errorMessage(err);
    if (!changed && reason === this.reason && now - this.loggedAt < FAILURE_RELOG_MS) return false;
    this.reason = reason;
    this.loggedAt = now;
    return true;
  }

  /** the attempts succeeded (or stopped): the next failure is a first again */
  reset(): void {
    this.reason = undefined;
  }
}
