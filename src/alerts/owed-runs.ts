import { FailureLog } from './failure-log.ts';
import { failedAttempt, type Retried } from './retry.ts';

/**
 * A sweep of a caller's own (src/main's rule reload: trap, threshold and device-state rules changed)
 * that could not list the store: `run` is retried by the manager's timer with the backoff of failed
 * saves (retry.ts), at each re-evaluation once due, until it returns without throwing.
 */
export class OwedRun implements Retried {
  failures?: number;
  retryAt?: number;
  private readonly log = new FailureLog();

  constructor(readonly what: string, public run: () => void) {}

  /** a failed attempt at `now` (`err`); true when worth a log line: the first in a row, another reason, or a while since the last (FailureLog) */
  failed(now: number, err: unknown): boolean {
    failedAttempt(this, now);
    return this.log.failed(err, now);
  }
}
