/** a change that failed to save (a hold's end, a grace's end, a source's raise or clear) is tried again by the timer after 1 s, 2 s, 4 s … 60 s at most */
export const retryDelayMs = (failures: number): number => Math.min(60_000, 1000 * 2 ** Math.min(failures - 1, 6));

/** a change whose save failed: its failed attempts in a row, and when the timer tries it again */
export interface Retried {
  failures?: number;
  retryAt?: number;
}

/** counts a failed attempt of `r` at `now` and sets its next try; returns the attempts failed in a row (1: the first, to log) */
export function failedAttempt(r: Retried, now: number): number {
  r.failures = (r.failures ?? 0) + 1;
  r.retryAt = now + retryDelayMs(r.failures);
  return r.failures;
}

/** when the timer takes up a hold or grace again: its end, or its retry after a failed one, whichever is later */
export const dueAt = (r: Retried & { until: number }): number => Math.max(r.until, r.retryAt ?? 0);
