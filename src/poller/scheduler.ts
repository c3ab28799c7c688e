/**
 * One timer drives all periodic polls: jobs sit in a min-heap by due time; due jobs go to a
 * FIFO ready queue that at most `concurrency` runs drain. A job still running (or still
 * queued) when it falls due again skips that cycle and counts a miss: polls never stack.
 * A run that holds its slot past its deadline gives the slot back (the run may still
 * finish; its job stays busy), so slow or dead devices never delay the others. A job replaced
 * (add() with its key) while a run of it goes never runs beside that run: its run waits for it.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { MinHeap } from './min-heap.ts';
import { firstDue, spreadOffset } from './spread.ts';

export interface ScheduledJob {
  /** unique job key, e.g. `core-sw1@60000` */
  key: string;
  /** what the start offset is hashed from (the device name), default the key */
  spreadKey?: string;
  intervalMs: number;
  run(): Promise<void>;
}

export interface SchedulerOptions {
  /** runs at once, across all jobs */
  concurrency: number;
  /** a run gives its slot back after this long; default the job's interval */
  slotDeadlineMs?: (job: ScheduledJob) => number;
  /** `due`: the missed due time, on the monotonic clock (`now`) */
  onMissed?: (job: ScheduledJob, due: number) => void;
  onRunError?: (job: ScheduledJob, err: unknown) => void;
  /** monotonic clock, ms: due times, deadlines, durations (default performance.now); a wall-clock step moves nothing */
  now?: () => number;
  /** wall clock, ms since the epoch: only to place start offsets on the epoch grid, and for nextDue() */
  wallNow?: () => number;
  /** due times closer than this are served by the same timer firing */
  coalesceMs?: number;
}

export interface SchedulerMetrics {
  jobs: number;
  pollsStarted: number;
  pollsDone: number;
  pollsFailed: number;
  missedPolls: number;
  /** runs whose slot was given back at the deadline */
  abandonedSlots: number;
  /** runs due and not started: waiting for a slot, or parked (counted in `parked` too) */
  queueDepth: number;
  /** runs of a replaced job's key waiting, without a slot, for the old job's run to end */
  parked: number;
  inFlight: number;
  pollDurationMs: { count: number; p50: number; p95: number; p99: number; max: number };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

interface JobState {
  job: ScheduledJob;
  busy: boolean;
  queued: boolean;
  removed: boolean;
  /** due time the heap entry for this job carries (stale entries are ignored) */
  due: number;
  /** the queued or running run was asked for by pollNow(), not by the schedule */
  extra: boolean;
  /** what that extra run does instead of job.run, when pollNow() was given one */
  extraRun: (() => Promise<void>) | undefined;
  /** a due time came while the extra run was queued or going: the regular run follows it */
  owed: boolean;
  /** when its last run started; -Infinity before the first */
  lastStart: number;
}

/** a queued run that will not go (stopped, or its job removed): nothing of it may stay marked */
function dropQueuedRun(s: JobState): void {
  s.queued = false;
  s.extra = false;
  s.extraRun = undefined;
  s.owed = false;
}

/** what pollNow() did: queued a run, or why not */
export type PollNowResult = 'queued' | 'busy' | 'recent' | 'unknown' | 'stopped';

interface Slot {
  state: JobState;
  deadline: number;
  released: boolean;
}

const DURATION_WINDOW = 4096;

export class Scheduler {
  private readonly heap = new MinHeap<JobState>();
  private readonly jobs = new Map<string, JobState>();
  private ready: JobState[] = [];
  private readyHead = 0;
  private readonly slots = new Set<Slot>();
  private readonly running = new Set<Promise<void>>();
  /** the job state whose run is going, by key: a replaced job's run still counts for its key */
  private readonly runningByKey = new Map<string, JobState>();
  /** a job's run that came out of the ready queue while its predecessor's run was going; it goes when that ends */
  private readonly parked = new Map<string, JobState>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private started = false;
  private stopping = false;
  private readonly now: () => number;
  private readonly wallNow: () => number;
  private readonly coalesceMs: number;
  private readonly durations = new Float64Array(DURATION_WINDOW);
  private durationCount = 0;
  private loopDelay: IntervalHistogram | undefined;
  private counters = { pollsStarted: 0, pollsDone: 0, pollsFailed: 0, missedPolls: 0, abandonedSlots: 0 };

  constructor(private readonly opts: SchedulerOptions) {
    if (!(opts.concurrency >= 1)) throw new Error(`scheduler: concurrency must be ≥ 1, got ${opts.concurrency}`);
    this.now = opts.now ?? (() => performance.now());
    this.wallNow = opts.wallNow ?? Date.now;
    this.coalesceMs = opts.coalesceMs ?? 5;
  }

  add(job: ScheduledJob): void {
    if (!(job.intervalMs > 0)) throw new Error(`scheduler: job ${job.key}: interval must be > 0`);
    this.remove(job.key);
    const state: JobState = { job, busy: false, queued: false, removed: false, due: 0, extra: false, extraRun: undefined, owed: false, lastStart: -Infinity };
    this.jobs.set(job.key, state);
    const wall = this.wallNow();
    state.due = this.now() + firstDue(wall, job.intervalMs, spreadOffset(job.spreadKey ?? job.key, job.intervalMs)) - wall;
    this.heap.push(state.due, state);
    if (this.started) this.arm();
  }

  remove(key: string): void {
    const s = this.jobs.get(key);
    if (s) {
      s.removed = true;
      this.jobs.delete(key);
    }
  }

  /**
   * Runs a job now, ahead of its schedule (the runtime asks for a device's parents when the
   * device goes down), through the ready queue and the slots like any run. Not when a run of it
   * is going or queued (`busy`: its answer comes soon), nor when its last run started less than
   * `minGapMs` ago (`recent`). Its schedule stays: a due time that finds this extra run queued
   * or going is not a miss, the regular run follows it. `run` replaces the job's run for this
   * once (a lighter poll).
   */
  pollNow(key: string, opts: { minGapMs?: number; run?: () => Promise<void> } = {}): PollNowResult {
    const s = this.jobs.get(key);
    if (!s) return 'unknown';
    if (!this.started) return 'stopped';
    if (s.busy || s.queued) return 'busy';
    if (this.now() - s.lastStart < (opts.minGapMs ?? 0)) return 'recent';
    s.queued = true;
    s.extra = true;
    s.extraRun = opts.run;
    this.ready.push(s);
    this.pump();
    this.arm();
    return 'queued';
  }

  /** Due time of a job's next run, ms since the epoch by the wall clock now (for tests and the API). */
  nextDue(key: string): number | undefined {
    const s = this.jobs.get(key);
    return s && s.due + this.wallNow() - this.now();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.loopDelay = monitorEventLoopDelay({ resolution: 10 });
    this.loopDelay.enable();
    this.arm();
  }

  /** Stops scheduling; waits up to `graceMs` for runs in flight, then abandons them. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    // dropped runs must not leave their jobs marked queued, or after start() again they never run
    for (let i = this.readyHead; i < this.ready.length; i++) dropQueuedRun(this.ready[i]);
    this.ready = [];
    this.readyHead = 0;
    for (const s of this.parked.values()) dropQueuedRun(s);
    this.parked.clear();
    if (this.running.size > 0) {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise<void>((resolve) => { t = setTimeout(resolve, graceMs); }),
      ]);
      clearTimeout(t);
    }
    this.loopDelay?.disable();
  }

  metrics(): SchedulerMetrics {
    const n = Math.min(this.durationCount, DURATION_WINDOW);
    const d = Array.from(this.durations.subarray(0, n)).sort((a, b) => a - b);
    const q = (p: number) => (n === 0 ? 0 : d[Math.min(n - 1, Math.floor(p * n))]);
    const ns = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 0 : v / 1e6);
    const h = this.loopDelay;
    let parked = 0;
    for (const p of this.parked.values()) if (!p.removed) parked++;
    return {
      jobs: this.jobs.size,
      ...this.counters,
      queueDepth: this.ready.length - this.readyHead + parked,
      parked,
      inFlight: [...this.slots].filter((s) => !s.released).length,
      pollDurationMs: { count: this.durationCount, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: n ? d[n - 1] : 0 },
      eventLoopDelayMs: h && h.count > 0
        ? { p50: ns(h.percentile(50)), p99: ns(h.percentile(99)), max: ns(h.max) }
        : { p50: 0, p99: 0, max: 0 },
    };
  }

  resetEventLoopDelay(): void {
    this.loopDelay?.reset();
  }

  private arm(): void {
    if (!this.started) return;
    let next = this.heap.peekKey() ?? Infinity;
    for (const s of this.slots) if (!s.released && s.deadline < next) next = s.deadline;
    if (next === Infinity) return;
    if (this.timer && this.timerAt <= next) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - this.now()));
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (!this.started) return;
    const now = this.now();
    this.releaseOverdueSlots(now);
    while ((this.heap.peekKey() ?? Infinity) <= now + this.coalesceMs) {
      const { key: due, item: s } = this.heap.pop()!;
      if (s.removed || due !== s.due) continue;
      const interval = s.job.intervalMs;
      let next = due + interval;
      // the process stalled (suspend, long GC): the cycles it slept through are misses
      while (next <= now) {
        this.miss(s, next);
        next += interval;
      }
      s.due = next;
      this.heap.push(next, s);
      if (s.busy || s.queued) {
        // an extra run (pollNow) is in the way: the regular one follows it, not a miss
        if (s.extra) s.owed = true;
        else this.miss(s, due);
        continue;
      }
      s.queued = true;
      this.ready.push(s);
    }
    this.pump();
    this.arm();
  }

  private miss(s: JobState, due: number): void {
    this.counters.missedPolls++;
    this.opts.onMissed?.(s.job, due);
  }

  private freeSlots(): number {
    let used = 0;
    for (const s of this.slots) if (!s.released) used++;
    return this.opts.concurrency - used;
  }

  private releaseOverdueSlots(now: number): void {
    for (const slot of this.slots) {
      if (!slot.released && slot.deadline <= now) {
        slot.released = true;
        this.counters.abandonedSlots++;
      }
    }
  }

  private pump(): void {
    let free = this.freeSlots();
    while (free > 0 && this.readyHead < this.ready.length && !this.stopping) {
      const s = this.ready[this.readyHead++];
      s.queued = false;
      if (s.removed) continue;
      const going = this.runningByKey.get(s.job.key);
      if (going && going !== s) {
        // the job was replaced while its old run goes: never two runs of one key at once
        s.queued = true;
        this.parked.set(s.job.key, s);
        continue;
      }
      this.launch(s);
      free--;
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
  }

  /** the run of a key's new job that waited for the old job's run goes to the ready queue */
  private unpark(key: string): void {
    const s = this.parked.get(key);
    if (!s) return;
    this.parked.delete(key);
    if (!s.removed && this.started) this.ready.push(s);
    else dropQueuedRun(s);
  }

  private launch(s: JobState): void {
    const start = this.now();
    const deadline = start + (this.opts.slotDeadlineMs?.(s.job) ?? s.job.intervalMs);
    const slot: Slot = { state: s, deadline, released: false };
    s.busy = true;
    s.lastStart = start;
    this.runningByKey.set(s.job.key, s);
    this.slots.add(slot);
    this.counters.pollsStarted++;
    let p: Promise<void>;
    try {
      const run = s.extraRun ?? s.job.run;
      s.extraRun = undefined;
      p = Promise.resolve(run());
    } catch (err) {
      p = Promise.reject(err);
    }
    const done = p.then(
      () => { this.counters.pollsDone++; },
      (err: unknown) => { this.counters.pollsFailed++; this.opts.onRunError?.(s.job, err); },
    ).finally(() => {
      s.busy = false;
      s.extra = false;
      if (s.owed) {
        s.owed = false;
        if (!s.removed && this.started) {
          s.queued = true;
          this.ready.push(s);
        }
      }
      if (this.runningByKey.get(s.job.key) === s) this.runningByKey.delete(s.job.key);
      this.unpark(s.job.key);
      this.slots.delete(slot);
      this.running.delete(done);
      this.durations[this.durationCount++ % DURATION_WINDOW] = this.now() - start;
      if (this.started) {
        this.pump();
        this.arm();
      }
    });
    this.running.add(done);
  }
}
