/**
 * An owed sweep that goes on failing stays in the log without a line per retry: logged at the
 * first failure, again when the reason changes, every 10 minutes (FAILURE_RELOG_MS) with the
 * count of attempts in a row while it fails for the same reason, and once when it lists again.
 * A caller's sweep (oweSweep: src/main's rule reload) whose retry fails for a reason other than
 * the store, and a removed-devices sweep whose store fails; a fake clock.
 */
import { describe, expect, it, vi } from 'vitest';
import { FAILURE_RELOG_MS } from '../../src/alerts/failure-log.ts';
import type { AlertEvent } from '../../src/alerts/types.ts';
import { listFailingStore, STORES } from './failing-store.ts';
import { fakeClockFrom, recordedManager } from './owed-sweep-harness.ts';

const T0 = Date.parse('2026-12-05T03:00:00Z');
fakeClockFrom(T0);

// retries at 1, 3, 7, 15, 31, 63 s, then every 60 s: the 16th attempt in a row (the first failed
// at 0 s) is at 603 s, the first retry 10 minutes or more after a line at 0 s or 1 s; the 26th at 1203 s
const FIRST_RELOG_S = 603;

describe.each(STORES)('an owed sweep failing on (%s store)', (_, makeStore) => {
  it('a caller\'s sweep whose retry fails for another reason than the store: logged when the reason changes, every 10 minutes with the count, and when it lists again', async () => {
    const t = recordedManager(makeStore());
    let failure: Error | undefined = new Error('threshold rules: cannot compile rule h1');
    const retry = vi.fn(() => { if (failure) throw failure; });
    t.m.oweSweep('rules changed', retry, new Error('SQLITE_BUSY: database is locked'));
    expect(t.warnings).toEqual([expect.stringMatching(/^alerts: listing the active alerts of rules changed failed: they stay open, tried again in 1 s and until listed: SQLITE_BUSY/)]);

    await vi.advanceTimersByTimeAsync(1000);
    expect(retry).toHaveBeenCalledTimes(1);
    expect(t.warnings).toHaveLength(2);
    expect(t.warnings[1]).toBe('alerts: listing the active alerts of rules changed failed (2 attempts in a row): they stay open, tried again in 2 s and until listed: threshold rules: cannot compile rule h1');

    // the same reason: quiet until 10 minutes after the last line
    await vi.advanceTimersByTimeAsync((FIRST_RELOG_S - 1) * 1000 - 1);
    expect(retry).toHaveBeenCalledTimes(14);
    expect(t.warnings).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.warnings).toHaveLength(3);
    expect(t.warnings[2]).toBe('alerts: listing the active alerts of rules changed failed (16 attempts in a row): they stay open, tried again in 60 s and until listed: threshold rules: cannot compile rule h1');
    await vi.advanceTimersByTimeAsync(FAILURE_RELOG_MS);
    expect(t.warnings).toHaveLength(4);
    expect(t.warnings[3]).toMatch(/failed \(26 attempts in a row\).*cannot compile rule h1$/);

    failure = undefined;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.warnings).toHaveLength(4);
    expect(t.infos).toContain('alerts: the active alerts of rules changed listed again after 26 failed attempts');
  });

  it('a removed-devices sweep whose store keeps failing: logged again every 10 minutes, and at once for another reason', async () => {
    const fail = listFailingStore(makeStore());
    const t = recordedManager(fail.store);
    const ev: AlertEvent = { action: 'raise', key: 'device-state:sw1:down', source: 'device', rule: 'device-down', device: 'sw1', severity: 'major', message: 'down', time: Date.now() };
    t.m.raise(ev);
    fail.failing = true;
    t.m.clearAlertsOfDevices(['sw1']);
    expect(t.warnings).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(FIRST_RELOG_S * 1000 - 1);
    expect(t.warnings).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(t.warnings).toHaveLength(2);
    expect(t.warnings[1]).toMatch(/^alerts: listing the active alerts of devices removed \(sw1\) failed \(16 attempts in a row\): they stay open, tried again in 60 s and until listed: SQLITE_BUSY/);

    const list = fail.store.list;
    fail.store.list = () => { throw new Error('SQLITE_CORRUPT: database disk image is malformed'); };
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.warnings).toHaveLength(3);
    expect(t.warnings[2]).toMatch(/failed \(17 attempts in a row\).*SQLITE_CORRUPT/);

    fail.store.list = list;
    fail.failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(t.warnings).toHaveLength(3);
    expect(t.infos.some((i) => /devices removed listed again after 17 failed attempts/.test(i))).toBe(true);
  });
});
