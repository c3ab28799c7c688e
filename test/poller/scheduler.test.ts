import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from '../../src/poller/scheduler.ts';
import { firstDue, spreadOffset } from '../../src/poller/spread.ts';

const MIN = 60_000;

beforeEach(() => { vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] }); });
afterEach(() => { vi.useRealTimers(); });

describe('spreading', () => {
  it('10,000 devices at 60 s are spread over the interval (no second holds more than 2% of them)', () => {
    const perSecond = new Array(60).fill(0);
    for (let i = 0; i < 10_000; i++) perSecond[Math.floor(spreadOffset(`sw-${i}.site-${i % 37}`, MIN) / 1000)]++;
    expect(Math.max(...perSecond)).toBeLessThan(200);
    expect(Math.min(...perSecond)).toBeGreaterThan(130);
  });

  it.each([
    ['sw-00001..sw-10000', (i: number) => `sw-${String(i + 1).padStart(5, '0')}`],
    ['sw1..sw10000', (i: number) => `sw${i + 1}`],
    ['10.1.x.y', (i: number) => `10.1.${i >> 8}.${i & 255}`],
    ['ap-bldgNN-flNN-NN', (i: number) => `ap-bldg${i % 25}-fl${Math.floor(i / 25) % 20}-${Math.floor(i / 500)}`],
  ])('10,000 names like %s: every second of 60 gets 120..215 of them (ideal 167)', (_n, name) => {
    const perSecond = new Array(60).fill(0);
    for (let i = 0; i < 10_000; i++) perSecond[Math.floor(spreadOffset(name(i), MIN) / 1000)]++;
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(215);
    expect(Math.min(...perSecond)).toBeGreaterThanOrEqual(120);
  });

  it('is stable: the same name gets the same offset, aligned to the epoch grid', () => {
    expect(spreadOffset('core-sw1', MIN)).toBe(spreadOffset('core-sw1', MIN));
    const off = spreadOffset('core-sw1', MIN);
    const due = firstDue(1_000_000_123, MIN, off);
    expect(due % MIN).toBe(off);
    expect(due).toBeGreaterThanOrEqual(1_000_000_123);
    expect(due - 1_000_000_123).toBeLessThan(MIN);
  });
});

function recorder() {
  const runs: Record<string, number[]> = {};
  return {
    runs,
    job(key: string, intervalMs = MIN, durationMs = 10, spreadKey?: string) {
      return {
        key, spreadKey, intervalMs,
        run: async () => {
          (runs[key] ??= []).push(Date.now());
          await new Promise((r) => setTimeout(r, durationMs));
        },
      };
    },
  };
}

describe('Scheduler', () => {
  it('runs every job once per interval at its spread offset, with one timer', async () => {
    const rec = recorder();
    const s = new Scheduler({ concurrency: 100 });
    for (let i = 0; i < 500; i++) s.add(rec.job(`d${i}`));
    s.start();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(3 * MIN);
    for (let i = 0; i < 500; i++) {
      const r = rec.runs[`d${i}`];
      expect(r.length).toBe(3);
      expect(r[1] - r[0]).toBe(MIN);
      expect(Math.abs((r[0] % MIN) - spreadOffset(`d${i}`, MIN))).toBeLessThanOrEqual(5); // coalescing window
    }
    expect(s.metrics()).toMatchObject({ pollsStarted: 1500, pollsDone: 1500, missedPolls: 0, queueDepth: 0, inFlight: 0, jobs: 500 });
    await s.stop();
  });

  it('a poll overrunning its interval skips the next cycle and counts it, never stacking', async () => {
    const missed: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const s = new Scheduler({ concurrency: 10, onMissed: (j) => missed.push(j.key), slotDeadlineMs: () => 10 * MIN });
    let runs = 0;
    s.add({
      key: 'slow', intervalMs: MIN,
      run: async () => {
        runs++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 90_000));
        concurrent--;
      },
    });
    s.start();
    await vi.advanceTimersByTimeAsync(6 * MIN);
    expect(maxConcurrent).toBe(1);
    // runs at 0, skips +1, runs +2, skips +3, runs +4 ... → 3 runs and ≥2 misses in 6 intervals
    expect(runs).toBe(3);
    expect(missed.length).toBe(3);
    expect(s.metrics().missedPolls).toBe(3);
    const stopped = s.stop(0);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
  });

  it('respects the global concurrency limit', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let done = 0;
    const s = new Scheduler({ concurrency: 3 });
    for (let i = 0; i < 20; i++) {
      s.add({
        key: `j${i}`, spreadKey: 'same-offset', intervalMs: MIN,
        run: async () => {
          concurrent++;
          maxConcurrent = Math.max(maxConcurrent, concurrent);
          await new Promise((r) => setTimeout(r, 100));
          concurrent--;
          done++;
        },
      });
    }
    s.start();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(maxConcurrent).toBe(3);
    expect(done).toBe(20);
  });

  it('a hung device does not delay the others: its slot is given back at the deadline', async () => {
    const rec = recorder();
    const s = new Scheduler({ concurrency: 1, slotDeadlineMs: () => 5000 });
    s.add({ key: 'hung', spreadKey: 'x', intervalMs: MIN, run: () => new Promise<void>(() => {}) });
    for (let i = 0; i < 3; i++) s.add(rec.job(`ok${i}`, MIN, 10, 'x'));
    s.start();
    await vi.advanceTimersByTimeAsync(MIN);
    for (let i = 0; i < 3; i++) expect(rec.runs[`ok${i}`]?.length).toBe(1);
    await vi.advanceTimersByTimeAsync(MIN);
    const m = s.metrics();
    expect(m.abandonedSlots).toBeGreaterThanOrEqual(1);
    expect(m.missedPolls).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 3; i++) expect(rec.runs[`ok${i}`].length).toBe(2);
    const stopped = s.stop(0);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
  });

  it('a failing run is counted and does not stop the schedule', async () => {
    const errors: string[] = [];
    const s = new Scheduler({ concurrency: 2, onRunError: (j, e) => errors.push(`${j.key}: ${(e as Error).message}`) });
    s.add({ key: 'bad', intervalMs: MIN, run: async () => { throw new Error('boom'); } });
    s.start();
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(errors).toEqual(['bad: boom', 'bad: boom']);
    expect(s.metrics()).toMatchObject({ pollsFailed: 2, pollsDone: 0 });
    await s.stop();
  });

  it('removed jobs stop; stop() waits for in-flight runs up to the grace time', async () => {
    const rec = recorder();
    const s = new Scheduler({ concurrency: 5 });
    s.add(rec.job('a', MIN, 2000, 'same'));
    s.add(rec.job('b', MIN, 2000, 'same'));
    s.start();
    await vi.advanceTimersByTimeAsync(MIN);
    s.remove('b');
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(rec.runs.a.length).toBe(3);
    expect(rec.runs.b.length).toBe(1);
    await vi.advanceTimersByTimeAsync(s.nextDue('a')! - Date.now() + 100);
    expect(s.metrics().inFlight).toBe(1);
    let resolved = false;
    void s.stop(10_000).then(() => { resolved = true; });
    await vi.advanceTimersByTimeAsync(500);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1500);
    expect(resolved).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() abandons runs that outlast the grace time', async () => {
    const s = new Scheduler({ concurrency: 1 });
    s.add({ key: 'hung', intervalMs: MIN, run: () => new Promise<void>(() => {}) });
    s.start();
    await vi.advanceTimersByTimeAsync(MIN);
    expect(s.metrics().inFlight).toBe(1);
    let resolved = false;
    void s.stop(3000).then(() => { resolved = true; });
    await vi.advanceTimersByTimeAsync(3001);
    expect(resolved).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Scheduler: wall-clock steps (NTP) move nothing', () => {
  it.each([
    ['back 30 s', -30_000],
    ['forward 10 min', 600_000],
  ])('a step %s: runs keep one interval apart, no misses', async (_n, stepMs) => {
    const runs: number[] = [];
    const s = new Scheduler({ concurrency: 2 });
    s.add({ key: 'a', intervalMs: 1000, run: async () => { runs.push(performance.now()); } });
    s.start();
    await vi.advanceTimersByTimeAsync(2500);
    vi.setSystemTime(Date.now() + stepMs);
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toHaveLength(6);
    expect(runs.slice(1).map((r, i) => r - runs[i])).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(s.metrics().missedPolls).toBe(0);
    await s.stop();
  });
});

describe('Scheduler.pollNow', () => {
  it('runs a job at once, keeps its schedule, never stacks, honours the minimum gap; a regular run due meanwhile follows it, no miss', async () => {
    const rec = recorder();
    const missed: string[] = [];
    const s = new Scheduler({ concurrency: 4, onMissed: (j) => missed.push(j.key) });
    s.add(rec.job('parent', MIN, 3000));
    expect(s.pollNow('parent')).toBe('stopped');
    s.start();
    const due = s.nextDue('parent')!;
    const t0 = Date.now();
    expect(s.pollNow('nope')).toBe('unknown');
    expect(s.pollNow('parent')).toBe('queued');
    expect(s.pollNow('parent')).toBe('busy');
    await vi.advanceTimersByTimeAsync(0);
    expect(rec.runs.parent).toEqual([t0]);
    expect(s.pollNow('parent')).toBe('busy');
    await vi.advanceTimersByTimeAsync(3000);
    expect(s.pollNow('parent', { minGapMs: 10_000 })).toBe('recent');
    // the schedule is unchanged: the next regular run at its spread offset
    expect(s.nextDue('parent')).toBe(due);
    await vi.advanceTimersByTimeAsync(due - Date.now() + 10);
    expect(rec.runs.parent).toEqual([t0, due]);
    expect(s.metrics()).toMatchObject({ pollsStarted: 2, missedPolls: 0 });

    // an extra run still going when the regular one falls due: the regular run follows it, no miss
    await vi.advanceTimersByTimeAsync(s.nextDue('parent')! - Date.now() - 1000);
    expect(s.pollNow('parent', { minGapMs: 10_000 })).toBe('queued');
    await vi.advanceTimersByTimeAsync(6000);
    expect(rec.runs.parent).toEqual([t0, due, due + MIN - 1000, due + MIN + 2000]);
    expect(missed).toEqual([]);
    await vi.advanceTimersByTimeAsync(MIN);
    expect(rec.runs.parent).toEqual([t0, due, due + MIN - 1000, due + MIN + 2000, due + 2 * MIN]);
    await s.stop();
  });

  it('runs the given run instead of the job\'s, once', async () => {
    const rec = recorder();
    const extra: number[] = [];
    const s = new Scheduler({ concurrency: 2 });
    s.add(rec.job('a', MIN, 10));
    s.start();
    expect(s.pollNow('a', { run: async () => void extra.push(Date.now()) })).toBe('queued');
    await vi.advanceTimersByTimeAsync(s.nextDue('a')! - Date.now() + 10);
    expect(extra).toHaveLength(1);
    expect(rec.runs.a).toHaveLength(1);
    await s.stop();
  });

  it('a run queued when stop() came is dropped, and the job runs again after start()', async () => {
    const rec = recorder();
    const s = new Scheduler({ concurrency: 1 });
    s.add(rec.job('a', 10 * MIN, 5000));
    s.add(rec.job('b', 10 * MIN, 5000));
    s.start();
    expect(s.pollNow('a')).toBe('queued');
    expect(s.pollNow('b')).toBe('queued'); // waits behind a
    const stopped = s.stop(10_000);
    await vi.advanceTimersByTimeAsync(5000); // a finishes; b stays dropped
    await stopped;
    expect(rec.runs.b).toBeUndefined();
    s.start();
    expect(s.pollNow('b')).toBe('queued');
    await vi.advanceTimersByTimeAsync(0);
    expect(rec.runs.b).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    await s.stop();
  });

  it('waits for a free slot like any run', async () => {
    const rec = recorder();
    const s = new Scheduler({ concurrency: 1 });
    s.add(rec.job('a', 10 * MIN, 5000));
    s.add(rec.job('b', 10 * MIN, 5000));
    s.start();
    const t0 = Date.now();
    expect(s.pollNow('a')).toBe('queued');
    expect(s.pollNow('b')).toBe('queued');
    expect(s.metrics()).toMatchObject({ inFlight: 1, queueDepth: 1 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(rec.runs).toEqual({ a: [t0], b: [t0 + 5000] });
    await vi.advanceTimersByTimeAsync(5000);
    await s.stop();
  });
});
