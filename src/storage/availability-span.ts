/**
 * A mergeable summary of the availability fold (availability.ts) over consecutive samples of
 * one device under one maxGapMs: the embedded store caches one per device and UTC day
 * (sqlite/availability-cache.ts), like Zabbix trends or RRD consolidation.
 *
 * A span of samples s1..sn (time order, ties in read order) covers [s1.time, sn.time): every
 * sample's hold but the last one's (its state until the next sample, at most maxGapMs, then
 * no-data). The last sample's hold depends on the next sample, outside the span, so it is left
 * to what comes next: mergeSpans() or AvailabilityFold.addSpan(). The fold only ever looks at
 * two consecutive samples, so folding [span(day 1), span(day 2), ..., raw samples] gives exactly
 * what folding every sample gives: durations, outages (a down run joins across a span's edge
 * when it touches it), the longest outage (the earliest of equals, as the fold keeps it), the
 * sample count, and the timeline: a span keeps its merged state runs, which the fold hands to
 * the timeline as it would have recorded them sample by sample.
 */
import type { DeviceState } from '../model/index.ts';
import type { AvailabilitySegment, AvailabilityState, Outage } from './availability.ts';

export interface SpanSample {
  time: number;
  state: DeviceState;
}

export interface AvailabilitySpan {
  samples: number;
  /** null exactly when samples is 0 */
  first: SpanSample | null;
  last: SpanSample | null;
  /** ms per state over [first.time, last.time) */
  durations: Record<AvailabilityState, number>;
  /** maximal runs of down time in [first.time, last.time) */
  downRuns: number;
  /** the first and the last of them (the same run when there is one): they can join runs outside the span */
  firstDown: Outage | null;
  lastDown: Outage | null;
  /** the longest run strictly between firstDown and lastDown, the earliest of equals; null with fewer than 3 runs */
  innerLongest: Outage | null;
  /**
   * the state runs covering [first.time, last.time) exactly (no-data included), equal neighbours
   * merged: what the timeline needs; empty without two distinct sample times; null when not known
   * (a cached day stored without them)
   */
  runs: AvailabilitySegment[] | null;
}

const zeroDurations = (): Record<AvailabilityState, number> =>
  ({ up: 0, 'snmp-unreachable': 0, 'auth-failed': 0, down: 0, unknown: 0, 'no-data': 0 });

export function emptySpan(): AvailabilitySpan {
  return { samples: 0, first: null, last: null, durations: zeroDurations(), downRuns: 0, firstDown: null, lastDown: null, innerLongest: null, runs: [] };
}

/** appends the state over [from, to) to runs, merged into the last run when it continues it */
function appendRun(runs: AvailabilitySegment[], from: number, to: number, state: AvailabilityState): void {
  const last = runs[runs.length - 1];
  if (last && last.state === state && last.to === from) last.to = to;
  else runs.push({ from, to, state });
}

const run = (from: number, to: number): Outage => ({ from, to, durationMs: to - from });

/** the longer of two runs in time order: the earlier one on a tie, as the fold keeps it */
function longer(a: Outage | null, b: Outage | null): Outage | null {
  if (!a) return b;
  return b && b.durationMs > a.durationMs ? b : a;
}

/** Builds the span of samples fed oldest first: what mergeSpans() of one-sample spans gives, without the garbage. */
export class SpanBuilder {
  private samples = 0;
  private first: SpanSample | null = null;
  private last: SpanSample | null = null;
  private readonly durations = zeroDurations();
  private downRuns = 0;
  private firstDown: Outage | null = null;
  private lastDown: Outage | null = null;
  private innerLongest: Outage | null = null;
  private readonly runs: AvailabilitySegment[] = [];

  constructor(private readonly maxGapMs: number) {}

  add(time: number, state: DeviceState): void {
    this.samples++;
    const prev = this.last;
    this.last = { time, state };
    if (!prev) {
      this.first = this.last;
      return;
    }
    if (time < prev.time) throw new RangeError(`availability span: sample at ${time} before the previous one at ${prev.time}`);
    const end = Math.min(time, prev.time + this.maxGapMs);
    if (end > prev.time) {
      this.durations[prev.state] += end - prev.time;
      appendRun(this.runs, prev.time, end, prev.state);
      if (prev.state === 'down') this.down(prev.time, end);
    }
    const held = Math.max(end, prev.time);
    if (time > held) {
      this.durations['no-data'] += time - held;
      appendRun(this.runs, held, time, 'no-data');
    }
  }

  private down(from: number, to: number): void {
    const l = this.lastDown;
    if (l && l.to === from) {
      // firstDown is the same object while there is one run
      l.to = to;
      l.durationMs = to - l.from;
      return;
    }
    if (this.downRuns >= 2) this.innerLongest = longer(this.innerLongest, l);
    this.downRuns++;
    this.lastDown = run(from, to);
    if (this.downRuns === 1) this.firstDown = this.lastDown;
  }

  result(): AvailabilitySpan {
    const copy = (o: Outage | null) => (o ? { ...o } : null);
    return {
      samples: this.samples,
      first: this.first && { ...this.first },
      last: this.last && { ...this.last },
      durations: { ...this.durations },
      downRuns: this.downRuns,
      firstDown: copy(this.firstDown),
      lastDown: copy(this.lastDown),
      innerLongest: copy(this.innerLongest),
      runs: this.runs.map((r) => ({ ...r })),
    };
  }
}

/** the span of these samples (time order) */
export function spanOf(samples: Iterable<readonly [number, DeviceState]>, maxGapMs: number): AvailabilitySpan {
  const b = new SpanBuilder(maxGapMs);
  for (const [time, state] of samples) b.add(time, state);
  return b.result();
}

/** a span's down runs in time order: the first, the ones between (count and longest), the last */
type RunItem = Outage | { count: number; longest: Outage | null };

function runItems(s: AvailabilitySpan): RunItem[] {
  if (s.downRuns === 0 || !s.firstDown || !s.lastDown) return [];
  if (s.downRuns === 1) return [s.firstDown];
  return [s.firstDown, { count: s.downRuns - 2, longest: s.innerLongest }, s.lastDown];
}

const isRun = (i: RunItem): i is Outage => 'from' in i;

/**
 * The span of a's samples followed by b's (a under the same maxGapMs, every sample of b at or
 * after a's last): a's last sample holds until b's first, at most maxGapMs. Pure: a and b are
 * left as they are.
 */
export function mergeSpans(a: AvailabilitySpan, b: AvailabilitySpan, maxGapMs: number): AvailabilitySpan {
  if (!a.first || !a.last) return structuredClone(b);
  if (!b.first || !b.last) return structuredClone(a);
  const t = a.last.time;
  const u = b.first.time;
  if (u < t) throw new RangeError(`availability span: merging a span starting at ${u} after one ending at ${t}`);
  const durations = zeroDurations();
  for (const k of Object.keys(durations) as AvailabilityState[]) durations[k] = a.durations[k] + b.durations[k];
  const end = Math.min(u, t + maxGapMs);
  const junction: RunItem[] = [];
  const runs = a.runs && b.runs ? a.runs.map((r) => ({ ...r })) : null;
  if (end > t) {
    durations[a.last.state] += end - t;
    if (runs) appendRun(runs, t, end, a.last.state);
    if (a.last.state === 'down') junction.push(run(t, end));
  }
  if (u > Math.max(end, t)) {
    durations['no-data'] += u - Math.max(end, t);
    if (runs) appendRun(runs, Math.max(end, t), u, 'no-data');
  }
  if (runs) for (const r of b.runs!) appendRun(runs, r.from, r.to, r.state);

  // runs that touch (one ends where the next starts) are one run, as in the fold
  const items: RunItem[] = [];
  for (const item of [...runItems(a), ...junction, ...runItems(b)]) {
    const prev = items[items.length - 1];
    if (prev && isRun(prev) && isRun(item) && prev.to === item.from) items[items.length - 1] = run(prev.from, item.to);
    else items.push(isRun(item) ? { ...item } : item);
  }
  let downRuns = 0;
  let innerLongest: Outage | null = null;
  for (const [i, item] of items.entries()) {
    if (isRun(item)) {
      downRuns++;
      if (i > 0 && i < items.length - 1) innerLongest = longer(innerLongest, item);
    } else {
      downRuns += item.count;
      innerLongest = longer(innerLongest, item.longest);
    }
  }
  const firstDown = items.length ? (items[0] as Outage) : null;
  const lastDown = items.length ? (items[items.length - 1] as Outage) : null;
  return {
    samples: a.samples + b.samples,
    first: { ...a.first },
    last: { ...b.last },
    durations,
    downRuns,
    firstDown,
    lastDown: lastDown === firstDown ? (lastDown && { ...lastDown }) : lastDown,
    innerLongest: innerLongest && { ...innerLongest },
    runs,
  };
}
