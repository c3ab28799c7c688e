import { lookup as dnsLookup } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';

/**
 * What a lookup of one name came to: an address, or why there is none. `busy`: the caller gave
 * up waiting for a lookup slot (a local queue limit, no DNS answer): the name was not looked up.
 */
export type NameOutcome = { address: string } | { cause: string; busy?: true };

export type LookupFn = (name: string) => Promise<{ address: string }>;

export interface NameResolverOptions {
  /** default dns.promises.lookup: getaddrinfo, which holds one of libuv's pool threads until it returns */
  lookup?: LookupFn;
  /** lookups running at once; default what libuv lets name lookups use less one, at least 1 (see below) */
  maxConcurrent?: number;
  /** how long an address is used without a new lookup */
  positiveTtlMs?: number;
  /** how long a failure is repeated without a new lookup */
  negativeTtlMs?: number;
  /**
   * a lookup running longer fails: its callers get the failure, later ones too for negativeTtlMs.
   * It keeps its slot until it returns (getaddrinfo cannot be cancelled); its answer is cached then.
   */
  lookupTimeoutMs?: number;
  /** how long past its TTL an address is still served while its refresh waits for a slot or an answer */
  maxStaleMs?: number;
  /** monotonic clock, ms */
  now?: () => number;
}

interface Entry {
  /** the last completed lookup, and when it completed */
  outcome?: NameOutcome;
  at: number;
  /** the lookup queued or running for this name; there is never a second one */
  job?: Job;
  lastUsed: number;
}

interface Job {
  name: string;
  entry: Entry;
  /** the name's last lookup failed, or this one timed out: at most one such lookup starts at a time, after other names */
  failing: boolean;
  started: boolean;
  /** ran past lookupTimeoutMs: answered as a failure, still holding its slot */
  timedOut: boolean;
  timer?: NodeJS.Timeout;
  /** callers waiting for this lookup; those served a cached answer meanwhile do not count */
  waiters: number;
  done: Promise<NameOutcome>;
  settle: (outcome: NameOutcome) => void;
}

/**
 * Name lookups for the ICMP engines and the SNMP client, shared by every check and poll of the
 * process: results are cached, a name is looked up once however many callers want it, and at
 * most `maxConcurrent` lookups run. libuv runs getaddrinfo as "slow I/O", which may use only
 * (pool size + 1) / 2 of its threads, 2 of the default 4, for all lookups of the process; taking
 * all but one of those leaves the lookups that do not come here (storage's InfluxDB URL, alert
 * webhooks: fetch) a thread while DNS is dead. A getaddrinfo call cannot be cancelled: a
 * caller stops waiting after its timeout; a lookup running past lookupTimeoutMs is answered as
 * a failure (cached like one, so later callers do not wait) but holds its slot until the system
 * resolver gives up (resolv.conf timeout x attempts), and its late answer is cached then.
 * Names whose last lookup failed or timed out are looked up on one slot at most, and only when
 * no other name waits: dead names hold one slot, plus one per first lookup of a new dead name
 * still running; the other slots serve new names. A cached answer, even past its TTL, is
 * served while it is refreshed (an address for at most maxStaleMs more).
 */
export class NameResolver {
  readonly maxConcurrent: number;
  private readonly lookup: LookupFn;
  private readonly positiveTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly maxStaleMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly queue: Job[] = [];
  private running = 0;
  private runningFailing = 0;
  private timedOut = 0;
  private lastSweep: number;

  constructor(opts: NameResolverOptions = {}) {
    this.maxConcurrent = opts.maxConcurrent ?? Math.max(1, lookupThreads() - 1);
    this.lookup = opts.lookup ?? ((name) => dnsLookup(name));
    this.positiveTtlMs = opts.positiveTtlMs ?? 60_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 10_000;
    this.lookupTimeoutMs = opts.lookupTimeoutMs ?? 2000;
    this.maxStaleMs = opts.maxStaleMs ?? 600_000;
    this.now = opts.now ?? (() => performance.now());
    this.lastSweep = this.now();
  }

  /** Never rejects. A caller waits at most timeoutMs; a lookup once started goes on without it. */
  async resolve(name: string, timeoutMs: number): Promise<NameOutcome> {
    const t = this.now();
    this.sweep(t);
    let e = this.entries.get(name);
    if (!e) this.entries.set(name, (e = { at: t, lastUsed: t }));
    e.lastUsed = t;
    const last = e.outcome;
    if (last && t - e.at < ('address' in last ? this.positiveTtlMs : this.negativeTtlMs)) return last;
    const job = (e.job ??= this.enqueue(name, e));
    // while the refresh waits: the last failure stands, an address is used a while longer
    if (last && ('cause' in last || t - e.at < this.positiveTtlMs + this.maxStaleMs)) return last;
    return this.waitFor(job, timeoutMs);
  }

  /** lookups running (of them timed out, still holding their slot) and waiting for a slot (for tests and diagnostics) */
  get load(): { running: number; timedOut: number; queued: number } {
    return { running: this.running, timedOut: this.timedOut, queued: this.queue.length };
  }

  private enqueue(name: string, entry: Entry): Job {
    let settle!: (outcome: NameOutcome) => void;
    const done = new Promise<NameOutcome>((resolve) => (settle = resolve));
    const failing = entry.outcome !== undefined && 'cause' in entry.outcome;
    const job: Job = { name, entry, failing, started: false, timedOut: false, waiters: 0, done, settle };
    this.queue.push(job);
    this.pump();
    return job;
  }

  private pump(): void {
    while (this.running < this.maxConcurrent) {
      let i = this.queue.findIndex((q) => !q.failing);
      if (i < 0 && this.runningFailing < 1) i = this.queue.findIndex((q) => q.failing);
      if (i < 0) return;
      this.start(this.queue.splice(i, 1)[0]);
    }
  }

  private start(job: Job): void {
    job.started = true;
    this.running++;
    if (job.failing) this.runningFailing++;
    job.timer = setTimeout(() => this.timeOut(job), this.lookupTimeoutMs);
    job.timer.unref?.();
    Promise.resolve()
      .then(() => this.lookup(job.name))
      .then(({ address }): NameOutcome => ({ address }))
      // also an injected lookup's odd answer (no object, a non-Error rejection): the slot must be given back
      .catch((err: unknown): NameOutcome => ({ cause: lookupCause(err) }))
      .then((outcome) => {
        clearTimeout(job.timer);
        this.running--;
        if (job.failing) this.runningFailing--;
        if (job.timedOut) this.timedOut--;
        // a late answer replaces the timeout's failure
        Object.assign(job.entry, { outcome, at: this.now(), job: undefined });
        job.settle(outcome);
        this.pump();
      });
  }

  /** answers the lookup's callers with a failure and caches it; the lookup holds its slot until it returns */
  private timeOut(job: Job): void {
    job.timedOut = true;
    this.timedOut++;
    if (!job.failing) {
      job.failing = true;
      this.runningFailing++;
    }
    const outcome = { cause: `no answer within ${this.lookupTimeoutMs} ms (lookup timed out; the system resolver is still trying)` };
    // entry.job stays: the name is not looked up again until this lookup returns. An old address
    // stays too: it is served, within maxStaleMs, while its refresh hangs
    const last = job.entry.outcome;
    if (!last || 'cause' in last) Object.assign(job.entry, { outcome, at: this.now() });
    job.settle(outcome);
  }

  private waitFor(job: Job, timeoutMs: number): Promise<NameOutcome> {
    job.waiters++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<NameOutcome>((resolve) => {
      timer = setTimeout(() => {
        if (job.started) return resolve({ cause: `no answer within ${timeoutMs} ms, the lookup is still running` });
        const slots = `${this.running} of ${this.maxConcurrent} busy${this.timedOut ? `, ${this.timedOut} of them timed out` : ''}, ${this.queue.length} queued`;
        resolve({ cause: `no answer within ${timeoutMs} ms, waiting for a lookup slot (${slots})`, busy: true });
      }, timeoutMs);
    });
    return Promise.race([job.done, timeout]).finally(() => {
      clearTimeout(timer);
      job.waiters--;
      // a first lookup nobody waits for any more is not started; the next caller queues it again
      if (job.waiters === 0 && !job.started && job.entry.outcome === undefined) {
        this.queue.splice(this.queue.indexOf(job), 1);
        job.entry.job = undefined;
      }
    });
  }

  /** forgets names nobody asked for since well past their TTL (devices removed or renamed) */
  private sweep(t: number): void {
    if (t - this.lastSweep < this.positiveTtlMs) return;
    this.lastSweep = t;
    const idle = this.positiveTtlMs + this.maxStaleMs;
    for (const [name, e] of this.entries) if (!e.job && t - e.lastUsed > idle) this.entries.delete(name);
  }
}

/** libuv pool threads a process's getaddrinfo calls may use at once: (pool size + 1) / 2, 2 of the default 4 */
export function lookupThreads(): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.floor((pool + 1) / 2);
}

function lookupCause(err: unknown): string {
  const e = (err ?? {}) as NodeJS.ErrnoException;
  if (e.code === 'ENOTFOUND') return 'name not found (ENOTFOUND)';
  if (e.code === 'EAI_AGAIN') return 'temporary DNS failure (EAI_AGAIN)';
  if (e.code === 'ENODATA') return 'no address for the name (ENODATA)';
  return e.message ?? String(err);
}
