import { describe, expect, it } from 'vitest';
import { dueAt, failedAttempt, retryDelayMs, type Retried } from '../../src/alerts/retry.ts';

describe('retry of a change not saved', () => {
  it.each([
    // failed attempts in a row → delay before the next try
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [50, 60_000],
  ])('after %i failed attempts the next try comes %i ms later', (failures, delay) => {
    expect(retryDelayMs(failures)).toBe(delay);
  });

  it.each([
    // before, now → after
    [{}, 5000, { failures: 1, retryAt: 6000 }],
    [{ failures: 1, retryAt: 6000 }, 6000, { failures: 2, retryAt: 8000 }],
    [{ failures: 9, retryAt: 0 }, 100, { failures: 10, retryAt: 60_100 }],
  ] as [Retried, number, Retried][])('failedAttempt(%j, %i) → %j', (before, now, after) => {
    const r = { ...before };
    expect(failedAttempt(r, now)).toBe(after.failures);
    expect(r).toEqual(after);
  });

  it.each([
    // until, retryAt → when the timer takes it up again
    [1000, undefined, 1000],
    [1000, 500, 1000],
    [1000, 3000, 3000],
  ])('until %i, retry at %s → due at %i', (until, retryAt, due) => {
    expect(dueAt({ until, retryAt })).toBe(due);
  });
});
