/**
 * Availability of a device over a time range, folded from its `device_status` samples (oldest
 * first; both stores feed the same fold).
 *
 * - A sample's state lasts until the next sample, but at most `maxGapMs`; time not covered by
 *   any sample (before the first, after the last, in gaps) is `no-data`, never `up`.
 * - ICMP availability (reachable): up + snmp-unreachable + auth-failed (the device answered
 *   ping or SNMP), over the time with a known state (the range minus no-data and unknown).
 * - SNMP availability: up alone, over the same known time.
 * - An outage is a maximal run of `down` time; no-data or unknown ends it. Outages are clipped
 *   to the range (one that began before `from` counts from `from`).
 * - `coveragePct`: the share of the range with a known state; the percentages are null without any.
 */
import type { DeviceState } from '../model/index.ts';
import { AvailabilityTimeline } from './availability-timeline.ts';
import type { AvailabilitySpan } from './availability-span.ts';

export type AvailabilityState = DeviceState | 'no-data';

export const AVAILABILITY_STATES = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown', 'no-data'] as const satisfies readonly AvailabilityState[];

/** state_code → state (src/model/schema.ts STATE_CODES) */
export const STATE_BY_CODE: readonly DeviceState[] = ['up', 'snmp-unreachable', 'auth-failed', 'down', 'unknown'];

export interface AvailabilityQuery {
  /** one device; missing = every device with device_status samples in the range */
  device?: string;
  /** with `device` missing: only these devices (those with samples in the range), read no others */
  devices?: string[];
  /** ms since the epoch; the range is [from, to) */
  from: number;
  to: number;
  /** how long a sample's state lasts at most when no next sample comes (e.g. 2.5 × the poll interval) */
  maxGapMs: number;
  /** per-device maxGapMs (devices poll at different intervals) */
  maxGapByDevice?: Record<string, number>;
  /** also return the state timeline (merged runs) */
  timeline?: boolean;
  /** timeline runs at most (default 1000); beyond it the range is cut into this many buckets, each showing its worst state */
  maxSegments?: number;
}

export interface AvailabilitySegment {
  from: number;
  to: number;
  state: AvailabilityState;
}

export interface Outage {
  from: number;
  to: number;
  durationMs: number;
}

export interface DeviceAvailability {
  device: string;
  from: number;
  to: number;
  /** ms in each state; they add up to to - from */
  durations: Record<AvailabilityState, number>;
  /** share of the range with a known state (not no-data, not unknown), % */
  coveragePct: number;
  /** (up + snmp-unreachable + auth-failed) / known time, %; null without known time */
  icmpAvailabilityPct: number | null;
  /** up / known time, %; null without known time */
  snmpAvailabilityPct: number | null;
  outages: number;
  longestOutage: Outage | null;
  /** device_status samples read (including the one before `from` that sets the initial state) */
  samples: number;
  timeline?: AvailabilitySegment[];
  /** false when the timeline was bucketed to maxSegments */
  timelineExact?: boolean;
}

export const DEFAULT_MAX_SEGMENTS = 1000;

/** the state of a stored sample: the `state` string, else `state_code`, else unknown */
export function sampleState(state: unknown, code: unknown): DeviceState {
  if (typeof state === 'string' && (STATE_BY_CODE as readonly string[]).includes(state)) return state as DeviceState;
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < STATE_BY_CODE.length) return STATE_BY_CODE[code];
  return 'unknown';
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e4 : null);

/** Folds one device's samples, fed oldest first with add(); memory holds the timeline (at most maxSegments runs or buckets) only when asked for. */
export class AvailabilityFold {
  private prev: { time: number; state: DeviceState } | undefined;
  private covered: number;
  private samples = 0;
  private readonly durations = Object.fromEntries(AVAILABILITY_STATES.map((s) => [s, 0])) as Record<AvailabilityState, number>;
  private outages = 0;
  private current: Outage | undefined;
  private longest: Outage | null = null;
  private readonly timeline: AvailabilityTimeline | undefined;

  constructor(
    readonly device: string,
    private readonly from: number,
    private readonly to: number,
    private readonly maxGapMs: number,
    timeline: { maxSegments: number } | undefined,
  ) {
    this.covered = from;
    this.timeline = timeline ? new AvailabilityTimeline(from, to, timeline.maxSegments) : undefined;
  }

  /** timeline runs or buckets held now (0 without a timeline): bounded by maxSegments + 1, not by the samples */
  get timelineHeld(): number {
    return this.timeline?.held ?? 0;
  }

  add(time: number, state: DeviceState): void {
    this.samples++;
    if (this.prev) this.hold(this.prev, time);
    this.prev = { time, state };
  }

  /**
   * The samples a span summarizes (availability-span.ts), as if add()ed one by one. The span
   * lies inside [from, to] and after every sample added so far; with a timeline it must know its runs.
   */
  addSpan(span: AvailabilitySpan): void {
    const { first, last } = span;
    if (span.samples === 0 || !first || !last) return;
    if (this.timeline && !span.runs) throw new Error('availability: a span without its runs cannot feed a timeline');
    if (first.time < this.from || last.time > this.to || (this.prev && first.time < this.prev.time)) {
      throw new RangeError(`availability: span ${first.time}..${last.time} outside ${this.from}..${this.to} or before the sample at ${this.prev?.time}`);
    }
    this.samples += span.samples;
    if (this.prev) this.hold(this.prev, first.time);
    this.prev = { ...last };
    if (last.time === first.time) return;
    if (this.covered < first.time) this.record(this.covered, first.time, 'no-data');
    for (const s of AVAILABILITY_STATES) this.durations[s] += span.durations[s];
    // the runs cover [first.time, last.time) = [covered, last.time): what record() would have fed the timeline
    if (this.timeline) for (const r of span.runs!) this.timeline.add(r.from, r.to, r.state);
    this.covered = last.time;
    const { firstDown, lastDown } = span;
    if (!firstDown || !lastDown) return this.closeOutage();
    if (this.current && this.current.to === firstDown.from) {
      this.current.to = firstDown.to;
      this.current.durationMs = firstDown.to - this.current.from;
    } else {
      this.closeOutage();
      this.outages++;
      this.current = { ...firstDown };
    }
    if (span.downRuns > 1) {
      this.closeOutage();
      this.outages += span.downRuns - 1;
      const inner = span.innerLongest;
      if (inner && (!this.longest || inner.durationMs > this.longest.durationMs)) this.longest = { ...inner };
      this.current = { ...lastDown };
    }
    if (lastDown.to < last.time) this.closeOutage();
  }

  finish(): DeviceAvailability {
    if (this.prev) this.hold(this.prev, Number.POSITIVE_INFINITY);
    if (this.covered < this.to) this.record(this.covered, this.to, 'no-data');
    this.closeOutage();
    const d = this.durations;
    const known = d.up + d['snmp-unreachable'] + d['auth-failed'] + d.down;
    const out: DeviceAvailability = {
      device: this.device, from: this.from, to: this.to, durations: { ...d },
      coveragePct: pct(known, this.to - this.from) ?? 0,
      icmpAvailabilityPct: pct(d.up + d['snmp-unreachable'] + d['auth-failed'], known),
      snmpAvailabilityPct: pct(d.up, known),
      outages: this.outages, longestOutage: this.longest, samples: this.samples,
    };
    if (this.timeline) {
      const { timeline, exact } = this.timeline.result();
      out.timeline = timeline;
      out.timelineExact = exact;
    }
    return out;
  }

  /** the sample's state from its time until `next`, at most maxGapMs */
  private hold(sample: { time: number; state: DeviceState }, next: number): void {
    this.record(sample.time, Math.min(next, sample.time + this.maxGapMs), sample.state);
  }

  private record(a0: number, b0: number, state: AvailabilityState): void {
    const a = Math.max(a0, this.covered);
    const b = Math.min(b0, this.to);
    if (b <= a) return;
    if (a > this.covered) this.record(this.covered, a, 'no-data');
    this.covered = b;
    this.durations[state] += b - a;
    this.timeline?.add(a, b, state);
    if (state === 'down') {
      if (this.current && this.current.to === a) {
        this.current.to = b;
        this.current.durationMs = b - this.current.from;
      } else {
        this.closeOutage();
        this.outages++;
        this.current = { from: a, to: b, durationMs: b - a };
      }
    } else {
      this.closeOutage();
    }
  }

  private closeOutage(): void {
    if (this.current && (!this.longest || this.current.durationMs > this.longest.durationMs)) this.longest = { ...this.current };
    this.current = undefined;
  }
}

export const DAY_MS = 86_400_000;
/** the UTC day (its start, ms) holding t */
export const dayOf = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;

/** how many poll intervals one sample counts for at most: one missed poll is bridged, two are not */
export const GAP_INTERVALS = 2.5;
/** the poll interval assumed for a device without one */
export const DEFAULT_POLL_INTERVAL_MS = 60_000;

/**
 * A device's maxGapMs from its poll interval: what the API's reports pass and what the day cache's
 * warm-up stores under (cache rows are keyed by it, so both must use this one rule).
 */
export function deviceMaxGapMs(intervalMs: number | undefined): number {
  return GAP_INTERVALS * (intervalMs || DEFAULT_POLL_INTERVAL_MS);
}

/** each device's deviceMaxGapMs, a record without prototype (a device may be named `constructor`) */
export function deviceMaxGaps(devices: readonly { name: string; intervalMs?: number }[]): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const d of devices) out[d.name] = deviceMaxGapMs(d.intervalMs);
  return out;
}

/** the maxGapMs of one device */
export function maxGapOf(q: AvailabilityQuery, device: string): number {
  return q.maxGapByDevice?.[device] ?? q.maxGapMs;
}

export function newFold(q: AvailabilityQuery, device: string): AvailabilityFold {
  return new AvailabilityFold(device, q.from, q.to, maxGapOf(q, device),
    q.timeline ? { maxSegments: q.maxSegments ?? DEFAULT_MAX_SEGMENTS } : undefined);
}

/** the earliest time a sample can matter: the one just before `from` sets the initial state */
export function readFrom(q: AvailabilityQuery): number {
  // a loop, not Math.max(...gaps): spreading a whole inventory's gaps overflows the call stack
  let widest = q.maxGapMs;
  for (const gap of Object.values(q.maxGapByDevice ?? {})) if (gap > widest) widest = gap;
  return q.from - widest;
}
