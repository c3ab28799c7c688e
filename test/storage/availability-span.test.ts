/**
 * The availability span (src/storage/availability-span.ts): case tables for the merge at a span's
 * edge (holds capped by maxGap, ties at the edge, down runs joining across it, the longest outage
 * among equals), and seeded random histories cut into spans at random points folding to exactly
 * what the raw fold gives, the timeline (exact or bucketed) included.
 */
import { describe, expect, it } from 'vitest';
import { AvailabilityFold, type DeviceAvailability, type Outage } from '../../src/storage/availability.ts';
import { SpanBuilder, emptySpan, mergeSpans, spanOf, type AvailabilitySpan } from '../../src/storage/availability-span.ts';
import type { DeviceState } from '../../src/model/index.ts';
import { seededRandom } from '../seeded-random.ts';

type S = readonly [number, DeviceState];
const M = 60_000;
const DAY = 86_400_000;

type TimelineOpt = { maxSegments: number } | undefined;

function rawFold(samples: readonly S[], from: number, to: number, gap: number, timeline?: TimelineOpt): DeviceAvailability {
  const f = new AvailabilityFold('d', from, to, gap, timeline);
  for (const [t, s] of samples) f.add(t, s);
  return f.finish();
}

/** raw samples before `a`, spans of [a, b) cut at `cuts`, raw samples from `b` on */
function spanFold(samples: readonly S[], from: number, to: number, gap: number, a: number, b: number, cuts: number[], timeline?: TimelineOpt): DeviceAvailability {
  const f = new AvailabilityFold('d', from, to, gap, timeline);
  const bounds = [a, ...cuts.filter((c) => c > a && c < b).sort((x, y) => x - y), b];
  for (const [t, s] of samples) if (t < a) f.add(t, s);
  for (let i = 0; i + 1 < bounds.length; i++) f.addSpan(spanOf(samples.filter(([t]) => t >= bounds[i] && t < bounds[i + 1]), gap));
  for (const [t, s] of samples) if (t >= b) f.add(t, s);
  return f.finish();
}

const o = (from: number, to: number): Outage => ({ from, to, durationMs: to - from });

describe('mergeSpans: the edge between two spans (case table)', () => {
  const gap = 2.5 * M;
  const cases: { name: string; a: S[]; b: S[]; gap?: number; want: Partial<AvailabilitySpan> }[] = [
    { name: 'hold across the edge, shorter than maxGap', a: [[0, 'up'], [M, 'up']], b: [[2 * M, 'up']],
      want: { samples: 3, durations: { up: 2 * M, 'snmp-unreachable': 0, 'auth-failed': 0, down: 0, unknown: 0, 'no-data': 0 } } },
    { name: 'hold across the edge capped by maxGap, then no-data', a: [[0, 'up']], b: [[10 * M, 'unknown']],
      want: { durations: { up: gap, 'snmp-unreachable': 0, 'auth-failed': 0, down: 0, unknown: 0, 'no-data': 10 * M - gap } } },
    { name: 'down run crossing the edge is one run', a: [[0, 'up'], [M, 'down']], b: [[2 * M, 'down'], [3 * M, 'up']],
      want: { downRuns: 1, firstDown: o(M, 3 * M), lastDown: o(M, 3 * M), innerLongest: null } },
    { name: 'a tie at the edge: a down run ending at it joins one starting at it', a: [[0, 'down'], [M, 'down']], b: [[M, 'down'], [2 * M, 'up']],
      want: { samples: 4, downRuns: 1, firstDown: o(0, 2 * M) } },
    { name: 'a tie at the edge: the later sample of the tie decides', a: [[0, 'up'], [M, 'down']], b: [[M, 'up'], [2 * M, 'up']],
      want: { downRuns: 0, firstDown: null, durations: { up: 2 * M, 'snmp-unreachable': 0, 'auth-failed': 0, down: 0, unknown: 0, 'no-data': 0 } } },
    { name: 'a gap over maxGap splits a down run in two', a: [[0, 'down']], b: [[10 * M, 'down'], [11 * M, 'up']],
      want: { downRuns: 2, firstDown: o(0, gap), lastDown: o(10 * M, 11 * M), innerLongest: null } },
    { name: 'unknown ends a down run at the edge', a: [[0, 'down'], [M, 'unknown']], b: [[2 * M, 'down'], [3 * M, 'up']],
      want: { downRuns: 2, firstDown: o(0, M), lastDown: o(2 * M, 3 * M) } },
    { name: 'inner runs: the earliest of equals is the longest', a: [[0, 'down'], [M, 'up'], [2 * M, 'down'], [3 * M, 'up'], [4 * M, 'down']],
      b: [[5 * M, 'up'], [6 * M, 'down'], [7 * M, 'up'], [8 * M, 'down'], [9 * M, 'up']],
      want: { downRuns: 5, firstDown: o(0, M), innerLongest: o(2 * M, 3 * M), lastDown: o(8 * M, 9 * M) } },
    { name: 'the run ending a at its last sample joins b\'s first through the hold', a: [[0, 'up'], [M, 'down'], [2 * M, 'up'], [3 * M, 'down'], [4 * M, 'down']],
      b: [[5 * M, 'down'], [7 * M, 'up']],
      want: { downRuns: 2, firstDown: o(M, 2 * M), lastDown: o(3 * M, 7 * M), innerLongest: null } },
    { name: 'maxGap 0: no sample holds, everything between is no-data', a: [[0, 'down']], b: [[M, 'down']], gap: 0,
      want: { downRuns: 0, durations: { up: 0, 'snmp-unreachable': 0, 'auth-failed': 0, down: 0, unknown: 0, 'no-data': M } } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const g = c.gap ?? gap;
      const a = spanOf(c.a, g);
      const b = spanOf(c.b, g);
      const before = structuredClone([a, b]);
      const merged = mergeSpans(a, b, g);
      expect(merged).toMatchObject(c.want);
      expect(merged).toEqual(spanOf([...c.a, ...c.b], g));
      expect([a, b]).toEqual(before); // pure
      // and the fold over the span equals the raw fold, the range reaching past both ends
      const all = [...c.a, ...c.b];
      expect(spanFold(all, -M, 20 * M, g, 0, 20 * M, [c.b[0][0]])).toEqual(rawFold(all, -M, 20 * M, g));
      for (const maxSegments of [1000, 2]) {
        const tl = { maxSegments };
        expect(spanFold(all, -M, 20 * M, g, 0, 20 * M, [c.b[0][0]], tl)).toEqual(rawFold(all, -M, 20 * M, g, tl));
      }
    });
  }

  it('an empty span is the identity on both sides', () => {
    const s = spanOf([[0, 'up'], [M, 'down']], gap);
    expect(mergeSpans(emptySpan(), s, gap)).toEqual(s);
    expect(mergeSpans(s, emptySpan(), gap)).toEqual(s);
    expect(mergeSpans(emptySpan(), emptySpan(), gap)).toEqual(emptySpan());
  });

  it('refuses spans out of time order', () => {
    expect(() => mergeSpans(spanOf([[M, 'up']], gap), spanOf([[0, 'up']], gap), gap)).toThrow(RangeError);
    expect(() => spanOf([[M, 'up'], [0, 'up']], gap)).toThrow(RangeError);
  });
});

describe('AvailabilityFold.addSpan (case table)', () => {
  const gap = 2.5 * M;
  const cases: { name: string; samples: S[]; from: number; to: number; span: [number, number] }[] = [
    { name: 'an outage from the raw edge through the span into the raw tail', samples: [[-M, 'down'], [0, 'down'], [M, 'down'], [2 * M, 'down'], [3 * M, 'up']], from: -30_000, to: 10 * M, span: [0, 2 * M] },
    { name: 'the sample before from sets the state at from', samples: [[-M, 'snmp-unreachable'], [M, 'up']], from: 0, to: 5 * M, span: [0, 5 * M] },
    { name: 'a span of one sample', samples: [[0, 'up'], [M, 'down'], [2 * M, 'up']], from: 0, to: 5 * M, span: [M, 2 * M] },
    { name: 'a span whose samples are one instant (ties)', samples: [[0, 'up'], [M, 'down'], [M, 'up'], [2 * M, 'down']], from: 0, to: 5 * M, span: [M, 2 * M] },
    { name: 'the span\'s last hold capped by maxGap before the next raw sample', samples: [[0, 'down'], [M, 'down'], [10 * M, 'down']], from: 0, to: 20 * M, span: [0, 5 * M] },
    { name: 'an earlier outage stays the longest on a tie with the span\'s inner one', samples: [[0, 'down'], [M, 'up'], [2 * M, 'down'], [3 * M, 'up'], [4 * M, 'down'], [5 * M, 'up'], [6 * M, 'down'], [7 * M, 'up']], from: 0, to: 8 * M, span: [M, 6 * M + 1] },
    { name: 'an empty span changes nothing', samples: [[0, 'down'], [10 * M, 'down']], from: 0, to: 20 * M, span: [M, 2 * M] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(spanFold(c.samples, c.from, c.to, gap, c.span[0], c.span[1], [])).toEqual(rawFold(c.samples, c.from, c.to, gap));
      for (const maxSegments of [1000, 3]) {
        const tl = { maxSegments };
        expect(spanFold(c.samples, c.from, c.to, gap, c.span[0], c.span[1], [], tl)).toEqual(rawFold(c.samples, c.from, c.to, gap, tl));
      }
    });
  }

  it('a span keeps its merged runs over [first, last): holds, no-data in gaps, ties', () => {
    const span = spanOf([[0, 'up'], [M, 'up'], [2 * M, 'down'], [2 * M, 'up'], [3 * M, 'down'], [10 * M, 'down'], [11 * M, 'unknown']], gap);
    expect(span.runs).toEqual([
      { from: 0, to: 3 * M, state: 'up' },
      { from: 3 * M, to: 3 * M + gap, state: 'down' },
      { from: 3 * M + gap, to: 10 * M, state: 'no-data' },
      { from: 10 * M, to: 11 * M, state: 'down' },
    ]);
    expect(spanOf([[M, 'up'], [M, 'down']], gap).runs).toEqual([]);
  });

  it('refuses a span outside the range, before a sample already added, or without its runs for a timeline', () => {
    const span = spanOf([[0, 'up'], [M, 'up']], gap);
    expect(() => new AvailabilityFold('d', M, 10 * M, gap, undefined).addSpan(span)).toThrow(RangeError);
    const f = new AvailabilityFold('d', 0, 10 * M, gap, undefined);
    f.add(2 * M, 'up');
    expect(() => f.addSpan(span)).toThrow(RangeError);
    expect(() => new AvailabilityFold('d', 0, 10 * M, gap, { maxSegments: 10 }).addSpan({ ...span, runs: null })).toThrow(/timeline/);
  });
});

describe('spans of random histories fold to the raw fold (seeded)', () => {
  const STATES: DeviceState[] = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'];

  function history(r: () => number): S[] {
    const out: S[] = [];
    let state: DeviceState = 'up';
    const step = [M, 30_000, 15 * M][Math.floor(r() * 3)];
    for (let t = -DAY + Math.floor(r() * DAY); t < 3 * DAY; t += Math.floor(step * (0.5 + r()))) {
      if (r() < 0.15) state = r() < 0.5 ? 'down' : STATES[Math.floor(r() * STATES.length)];
      if (r() < 0.05) t += Math.floor(r() * 20) * step;
      if (r() < 0.02) t = Math.ceil(t / DAY) * DAY + 0; // exactly at midnight (+ 0: never -0)
      out.push([t, state]);
      if (r() < 0.05) out.push([t, STATES[Math.floor(r() * STATES.length)]]); // a tie
    }
    return out;
  }

  it('cut at midnights and at random points, every maxGap, ranges from and to mid-day or midnight', () => {
    const r = seededRandom(424242);
    for (let i = 0; i < 400; i++) {
      const samples = history(r);
      const gap = [150_000, 75_000, 45 * M, 1 + Math.floor(r() * 3 * DAY), 0][Math.floor(r() * 5)];
      const from = r() < 0.5 ? 0 : Math.floor(r() * DAY) - DAY / 2;
      const to = r() < 0.5 ? 2 * DAY : from + Math.floor(r() * 3 * DAY);
      const a = Math.max(from, Math.ceil(from / DAY) * DAY);
      const b = Math.max(a, Math.min(to, Math.floor(to / DAY) * DAY));
      const cuts = r() < 0.5 ? [DAY, 2 * DAY] : Array.from({ length: 5 }, () => Math.floor(r() * 2 * DAY));
      const timeline = r() < 0.5 ? undefined : { maxSegments: [1000, 5, 40, 100_000][Math.floor(r() * 4)] };
      expect(spanFold(samples, from, to, gap, a, b, cuts, timeline), JSON.stringify({ i, gap, from, to, timeline })).toEqual(rawFold(samples, from, to, gap, timeline));
    }
  });

  it('merge is associative and agrees with the builder', () => {
    const r = seededRandom(99);
    for (let i = 0; i < 200; i++) {
      const samples = history(r);
      const gap = [150_000, 45 * M, DAY][Math.floor(r() * 3)];
      const [c1, c2] = [Math.floor(r() * samples.length), Math.floor(r() * samples.length)].sort((x, y) => x - y);
      const [x, y, z] = [samples.slice(0, c1), samples.slice(c1, c2), samples.slice(c2)].map((s) => spanOf(s, gap));
      const whole = spanOf(samples, gap);
      expect(mergeSpans(mergeSpans(x, y, gap), z, gap)).toEqual(whole);
      expect(mergeSpans(x, mergeSpans(y, z, gap), gap)).toEqual(whole);
      const singles = samples.map((s) => spanOf([s], gap)).reduce((acc, s) => mergeSpans(acc, s, gap), emptySpan());
      expect(singles).toEqual(whole);
    }
  });

  it('the builder keeps no state shared with its results', () => {
    const b = new SpanBuilder(150_000);
    b.add(0, 'down');
    b.add(M, 'down');
    const first = b.result();
    b.add(2 * M, 'up');
    expect(first.firstDown).toEqual(o(0, M));
    expect(first.runs).toEqual([{ from: 0, to: M, state: 'down' }]);
    expect(b.result().firstDown).toEqual(o(0, 2 * M));
    expect(b.result().runs).toEqual([{ from: 0, to: 2 * M, state: 'down' }]);
  });
});
