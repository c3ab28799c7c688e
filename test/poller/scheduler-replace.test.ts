/** Scheduler.add with the key of a job whose run is going: the two runs never overlap (fake timers). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type ScheduledJob } from '../../src/poller/scheduler.ts';

beforeEach(() => { vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] }); });
afterEach(() => { vi.useRealTimers(); });

/** runs of key `k`, each lasting durationMs; records which started and how many went at once */
function keyK() {
  const log = { started: [] as string[], going: 0, maxGoing: 0 };
  const job = (name: string, durationMs: number, intervalMs = 1000): ScheduledJob => ({
    key: 'k', intervalMs,
    run: async () => {
      log.started.push(name);
      log.maxGoing = Math.max(log.maxGoing, ++log.going);
      await new Promise((r) => setTimeout(r, durationMs));
      log.going--;
    },
  });
  return { log, job };
}

/** a started scheduler whose job `old` (a 5 s run, every 60 s) was polled now and its run has started; `polled` is what pollNow() answered */
async function oldRunGoing() {
  const { log, job } = keyK();
  const s = new Scheduler({ concurrency: 10 });
  s.start();
  s.add(job('old', 5000, 60_000));
  const polled = s.pollNow('k');
  await vi.advanceTimersByTimeAsync(0);
  return { log, job, s, polled };
}

describe('Scheduler: a job replaced while its run goes', () => {
  it("the new job's run waits for the old run to end, then goes", async () => {
    const { log, job } = keyK();
    const s = new Scheduler({ concurrency: 10 });
    s.start();
    s.add(job('old', 5000));
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.started).toEqual(['old']);
    s.add(job('new', 10));
    // the new job falls due at least once while the old run (5 s) still goes
    await vi.advanceTimersByTimeAsync(2000);
    expect(log.started).toEqual(['old']);
    await vi.advanceTimersByTimeAsync(4000);
    expect(log.started.slice(0, 2)).toEqual(['old', 'new']);
    expect(log.maxGoing).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    await s.stop(0);
  });

  it('also when it was removed and added again, and for a pollNow() of the new job', async () => {
    const { log, job, s, polled } = await oldRunGoing();
    expect(polled).toBe('queued');
    expect(log.started).toEqual(['old']);
    s.remove('k');
    s.add(job('new', 10, 60_000));
    expect(s.pollNow('k')).toBe('queued');
    await vi.advanceTimersByTimeAsync(4000);
    expect(log.started).toEqual(['old']);
    expect(s.pollNow('k')).toBe('busy');
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.started).toEqual(['old', 'new']);
    expect(log.maxGoing).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    await s.stop(0);
  });

  it('a waiting run of the new job is dropped by stop(); after start() the job runs again', async () => {
    const { log, job, s } = await oldRunGoing();
    s.add(job('new', 10, 60_000));
    s.pollNow('k');
    const stopped = s.stop(10_000);
    await vi.advanceTimersByTimeAsync(5000);
    await stopped;
    expect(log.started).toEqual(['old']);
    s.start();
    expect(s.pollNow('k')).toBe('queued');
    await vi.advanceTimersByTimeAsync(0);
    expect(log.started).toEqual(['old', 'new']);
    await vi.advanceTimersByTimeAsync(10);
    await s.stop(0);
  });

  it('a waiting run counts in queueDepth and in parked until it goes', async () => {
    const { log, job, s } = await oldRunGoing();
    expect(s.metrics()).toMatchObject({ queueDepth: 0, parked: 0, inFlight: 1 });
    s.add(job('new', 10, 60_000));
    s.pollNow('k');
    await vi.advanceTimersByTimeAsync(0);
    expect(log.started).toEqual(['old']);
    expect(s.metrics()).toMatchObject({ queueDepth: 1, parked: 1, inFlight: 1 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(log.started).toEqual(['old', 'new']);
    expect(s.metrics()).toMatchObject({ queueDepth: 0, parked: 0 });
    await vi.advanceTimersByTimeAsync(10);
    await s.stop(0);
  });
});
