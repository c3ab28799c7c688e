/**
 * The streaming timeline (src/storage/availability-timeline.ts) against the previous one, which
 * kept every merged run until finish() and bucketed them then (`referenceBucketed`, copied from
 * the old src/storage/availability.ts): same answers on a case table and seeded random
 * histories, and memory bounded by maxSegments however many samples are fed.
 */
import { describe, expect, it } from 'vitest';
import { AvailabilityFold, type AvailabilitySegment, type AvailabilityState, type DeviceAvailability } from '../../src/storage/availability.ts';
import type { DeviceState } from '../../src/model/index.ts';
import { seededRandom } from '../seeded-random.ts';

const SEVERITY: readonly AvailabilityState[] = ['down', 'auth-failed', 'snmp-unreachable', 'no-data', 'unknown', 'up'];

/** the old bucketing, verbatim: all runs first, then `max` equal buckets with their worst state */
function referenceBucketed(segments: AvailabilitySegment[], from: number, to: number, max: number): AvailabilitySegment[] {
  const width = Math.ceil((to - from) / max);
  const worst: number[] = [];
  for (const s of segments) {
    const rank = SEVERITY.indexOf(s.state);
    const first = Math.floor((s.from - from) / width);
    const last = Math.floor((s.to - 1 - from) / width);
    for (let i = first; i <= last; i++) worst[i] = Math.min(worst[i] ?? rank, rank);
  }
  const out: AvailabilitySegment[] = [];
  for (let i = 0; i < worst.length; i++) {
    const a = from + i * width;
    const b = Math.min(to, a + width);
    const state = SEVERITY[worst[i]];
    const prev = out[out.length - 1];
    if (prev && prev.state === state) prev.to = b;
    else out.push({ from: a, to: b, state });
  }
  return out;
}

type Samples = [number, DeviceState][];
interface Case { name: string; samples: Samples; from: number; to: number; maxGapMs: number; maxSegments: number }

function fold(c: Case, maxSegments: number): DeviceAvailability {
  const f = new AvailabilityFold('d', c.from, c.to, c.maxGapMs, { maxSegments });
  for (const [time, state] of c.samples) f.add(time, state);
  return f.finish();
}

/** the old answer: every run kept (no cap reached), then bucketed when over maxSegments */
function reference(c: Case): DeviceAvailability {
  const all = fold(c, Number.POSITIVE_INFINITY);
  const runs = all.timeline!;
  const exact = runs.length <= c.maxSegments;
  return { ...all, timeline: exact ? runs : referenceBucketed(runs, c.from, c.to, c.maxSegments), timelineExact: exact };
}

const STATES: readonly DeviceState[] = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'];
const alternating = (n: number, step: number, start = 0, states: readonly DeviceState[] = ['up', 'down']): Samples =>
  Array.from({ length: n }, (_, i) => [start + i * step, states[i % states.length]]);

const CASES: Case[] = [
  { name: 'runs crossing bucket edges (7 ms runs, 10 ms buckets)', samples: alternating(15, 7), from: 0, to: 100, maxGapMs: 10, maxSegments: 10 },
  { name: 'range not a multiple of the bucket width (short last bucket)', samples: alternating(40, 3, 0, STATES), from: 0, to: 103, maxGapMs: 5, maxSegments: 10 },
  { name: 'gaps as no-data and unknown samples', samples: [[0, 'up'], [5, 'unknown'], [9, 'up'], [40, 'down'], [41, 'up'], [70, 'unknown'], [90, 'auth-failed']], from: 0, to: 100, maxGapMs: 6, maxSegments: 4 },
  { name: 'a single bucket', samples: alternating(50, 2, 0, STATES), from: 0, to: 100, maxGapMs: 3, maxSegments: 1 },
  { name: 'a single bucket, only up and no-data', samples: [[10, 'up'], [20, 'up']], from: 0, to: 100, maxGapMs: 15, maxSegments: 1 },
  { name: 'many buckets (1000 of 5000 runs)', samples: alternating(5000, 20, 0, ['up', 'down', 'snmp-unreachable']), from: 0, to: 100_000, maxGapMs: 50, maxSegments: 1000 },
  { name: 'more buckets than ms per run (width 1)', samples: alternating(300, 1), from: 0, to: 300, maxGapMs: 2, maxSegments: 300 },
  { name: 'exactly maxSegments runs stays exact', samples: alternating(10, 10), from: 0, to: 100, maxGapMs: 100, maxSegments: 10 },
  { name: 'maxSegments + 1 runs is bucketed', samples: alternating(11, 9), from: 0, to: 100, maxGapMs: 100, maxSegments: 10 },
  { name: 'the run that passes the cap keeps growing afterwards', samples: [...alternating(6, 5), [30, 'down'], [40, 'down'], [60, 'down']], from: 0, to: 100, maxGapMs: 25, maxSegments: 5 },
  { name: 'samples before from and at or after to', samples: [[-50, 'down'], [-5, 'up'], [30, 'down'], [60, 'up'], [100, 'down'], [130, 'up']], from: 0, to: 100, maxGapMs: 20, maxSegments: 2 },
  { name: 'duplicate times', samples: [[0, 'up'], [10, 'down'], [10, 'up'], [10, 'auth-failed'], [20, 'up'], [20, 'up'], [30, 'down']], from: 0, to: 60, maxGapMs: 15, maxSegments: 3 },
  { name: 'out-of-order samples', samples: [[50, 'down'], [10, 'up'], [60, 'up'], [20, 'down'], [90, 'unknown'], [30, 'up'], [95, 'down']], from: 0, to: 100, maxGapMs: 12, maxSegments: 2 },
  { name: 'no samples at all', samples: [], from: 0, to: 100, maxGapMs: 10, maxSegments: 3 },
  { name: 'a wide range with epoch-sized times', samples: alternating(2000, 60_000, 1_767_268_800_000, STATES), from: 1_767_268_800_000 + 30_000, to: 1_767_268_800_000 + 2000 * 60_000 + 17, maxGapMs: 150_000, maxSegments: 7 },
];

function randomCase(seed: number): Case {
  const r = seededRandom(seed);
  const from = Math.floor(r() * 1000);
  const to = from + 1 + Math.floor(r() * 5000);
  const samples: Samples = [];
  let t = from - Math.floor(r() * 200);
  for (let n = Math.floor(r() * 800); n > 0; n--) {
    t += Math.floor(r() * r() * 60);
    samples.push([t, STATES[Math.floor(r() * STATES.length)]]);
  }
  // now and then a few samples out of order, as a store that does not sort them would hand them over
  if (r() < 0.2) for (let k = 0; k < 5 && samples.length > 1; k++) {
    const i = Math.floor(r() * samples.length);
    const j = Math.floor(r() * samples.length);
    [samples[i], samples[j]] = [samples[j], samples[i]];
  }
  return { name: `seed ${seed}`, samples, from, to, maxGapMs: 1 + Math.floor(r() * 80), maxSegments: 1 + Math.floor(r() * r() * 300) };
}

describe('the streaming availability timeline equals the old bucketing', () => {
  it.each(CASES)('$name', (c) => {
    const got = fold(c, c.maxSegments);
    expect(got).toEqual(reference(c));
    // the table covers both answers
    if (c.name.includes('stays exact')) expect(got.timelineExact).toBe(true);
    if (c.name.includes('bucketed') || c.name.includes('crossing')) expect(got.timelineExact).toBe(false);
  });

  it('on 500 seeded random histories (gaps, every state, out-of-order samples, 1..300 segments)', () => {
    let bucketed = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const c = randomCase(seed);
      const got = fold(c, c.maxSegments);
      expect(got, c.name).toEqual(reference(c));
      if (got.timelineExact === false) bucketed++;
    }
    expect(bucketed).toBeGreaterThan(100);
  });
});

describe('the timeline holds at most maxSegments + 1 runs or buckets', () => {
  it('while a million alternating samples (the per-device query cap) are folded', () => {
    const maxSegments = 500;
    const n = 1_000_000;
    const f = new AvailabilityFold('d', 0, n * 60_000, 150_000, { maxSegments });
    let most = 0;
    for (let i = 0; i < n; i++) {
      f.add(i * 60_000, i % 2 === 0 ? 'up' : 'down');
      if (f.timelineHeld > most) most = f.timelineHeld;
    }
    expect(most).toBeLessThanOrEqual(maxSegments + 1);
    const a = f.finish();
    expect(a.samples).toBe(n);
    expect(a.timelineExact).toBe(false);
    expect(a.timeline).toEqual([{ from: 0, to: n * 60_000, state: 'down' }]);
    expect(a.durations.down).toBe((n / 2) * 60_000);
  });

  it('the same whether 1,000 or 100,000 samples are fed', () => {
    const held = (n: number) => {
      const f = new AvailabilityFold('d', 0, 1_000_000, 10, { maxSegments: 100 });
      let most = 0;
      for (let i = 0; i < n; i++) {
        f.add(Math.floor((i * 1_000_000) / n), STATES[i % STATES.length]);
        most = Math.max(most, f.timelineHeld);
      }
      return most;
    };
    expect(held(1_000)).toBe(held(100_000));
    expect(held(100_000)).toBeLessThanOrEqual(101);
  });

  it('nothing without a timeline', () => {
    const f = new AvailabilityFold('d', 0, 1000, 10, undefined);
    for (let i = 0; i < 1000; i++) f.add(i, i % 2 ? 'up' : 'down');
    expect(f.timelineHeld).toBe(0);
    expect(f.finish().timeline).toBeUndefined();
  });
});
