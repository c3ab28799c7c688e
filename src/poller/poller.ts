/** The poller: devices → scheduled jobs → DevicePollResults → Samples on a sink, status in the registry. */
import type { ResolvedDevice } from '../model/device.ts';
import type { InterfaceFilter } from '../model/interface-filter.ts';
import type { Sample, SampleSink } from '../model/sample.ts';
import { STATE_CODES } from '../model/schema.ts';
import { canonicalAddress } from '../snmp/address.ts';
import { credentialKey } from '../snmp/credentials.ts';
import type { SnmpClient, WalkOptions } from '../snmp/types.ts';
import type { IcmpChecker, IcmpCheckOptions } from '../icmp/types.ts';
import { errorMessage } from '../errors/index.ts';
import { CounterStore } from './counter-memory.ts';
import { pollDevice, type DevicePollDeps, type DevicePollResult, type SnmpSettings } from './device-poll.ts';
import { IcmpBatcher } from './icmp-batcher.ts';
import type { ProfileRegistry } from './profiles/index.ts';
import { Scheduler, type PollNowResult, type SchedulerMetrics } from './scheduler.ts';
import { DeviceStatusRegistry } from './status-registry.ts';

export interface PollerOptions {
  snmp: SnmpClient;
  icmp?: IcmpChecker;
  icmpOptions?: IcmpCheckOptions;
  /** ICMP checks asked for within this window share one fping child (default 1000 ms) */
  icmpBatchWindowMs?: number;
  sink: SampleSink;
  profiles: ProfileRegistry;
  snmpSettings: SnmpSettings;
  /** polls at once across all devices */
  concurrency: number;
  walkLimits?: WalkOptions;
  /** which interfaces to poll on devices without their own filter (defaults.interfaces); absent: all */
  interfaceFilter?: InterfaceFilter;
  registry?: DeviceStatusRegistry;
  log?: (line: string) => void;
  /** wall clock, ms since the epoch: sample timestamps, the schedule's epoch grid */
  now?: () => number;
  /** monotonic clock, ms: scheduling, durations, counter deltas (default performance.now) */
  clock?: () => number;
}

/** what a poll talks to, in the SNMP client's spelling (credential keys in any order, IPv6 in any form): when it changes, the counter baselines belong to another agent */
const targetKey = (d: ResolvedDevice) => `${canonicalAddress(d.address)}|${d.port}|${credentialKey(d.credential)}`;

/** a poll started by the scheduler, until its ICMP answer is in and its result recorded */
interface PollInFlight {
  dev: ResolvedDevice;
  snmpDone: Promise<void>;
  done: Promise<void>;
}

/** A device's profiles grouped by interval; the group at the device's own interval is the primary job (ICMP + state). */
export function jobsOf(dev: ResolvedDevice): { intervalMs: number; profiles: string[]; primary: boolean }[] {
  const groups = new Map<number, string[]>([[dev.intervalMs, []]]);
  for (const p of dev.profiles) {
    const iv = dev.profileIntervalsMs?.[p] ?? dev.intervalMs;
    const g = groups.get(iv);
    if (g) g.push(p);
    else groups.set(iv, [p]);
  }
  return [...groups].map(([intervalMs, profiles]) => ({ intervalMs, profiles, primary: intervalMs === dev.intervalMs }));
}

/** the scheduler key of a device's job; the primary job's interval is the device's own */
const jobKey = (device: string, intervalMs: number) => `${device}@${intervalMs}`;

export function statusSample(r: DevicePollResult, missedPolls: number): Sample {
  return {
    measurement: 'device_status',
    tags: { device: r.device, snmp_version: r.version },
    fields: {
      state: r.state,
      state_code: BigInt(STATE_CODES[r.state]),
      poll_duration_ms: r.durationMs,
      missed_polls: BigInt(missedPolls),
      error: r.error ?? '',
    },
    time: r.at,
  };
}

export class Poller {
  readonly registry: DeviceStatusRegistry;
  readonly scheduler: Scheduler;
  private readonly counters: CounterStore;
  /** scheduled polls in flight, by device name */
  private readonly polls = new Map<string, Set<PollInFlight>>();
  private readonly batcher: IcmpBatcher | undefined;
  /** replaced whole, never changed in place: a poll keeps the one it started with (setProfiles) */
  private deps: DevicePollDeps;
  private devices = new Map<string, ResolvedDevice>();
  private readonly jobKeys = new Map<string, string[]>();
  private readonly log: (line: string) => void;
  private lookupBusy = 0;

  constructor(private readonly opts: PollerOptions) {
    this.registry = opts.registry ?? new DeviceStatusRegistry();
    this.log = opts.log ?? (() => {});
    this.counters = new CounterStore(opts.clock);
    this.batcher = opts.icmp ? new IcmpBatcher(opts.icmp, opts.icmpOptions, opts.icmpBatchWindowMs ?? 1000) : undefined;
    this.deps = {
      snmp: opts.snmp, icmp: this.batcher, profiles: opts.profiles, counters: this.counters,
      snmpSettings: opts.snmpSettings, walkLimits: opts.walkLimits, interfaceFilter: opts.interfaceFilter, now: opts.now, clock: opts.clock,
    };
    this.scheduler = new Scheduler({
      concurrency: opts.concurrency,
      now: opts.clock,
      wallNow: opts.now,
      onMissed: (job) => this.registry.missed(job.spreadKey ?? job.key),
      onRunError: (job, err) => this.log(`poller: job ${job.key}: ${errorMessage(err)}`),
    });
  }

  /** Replaces the device list (config reload): removed devices stop, new ones start, changed ones are rescheduled. */
  setDevices(devices: ResolvedDevice[]): void {
    const next = new Map(devices.map((d) => [d.name, d]));
    for (const name of this.devices.keys()) {
      if (!next.has(name)) {
        for (const k of this.jobKeys.get(name) ?? []) this.scheduler.remove(k);
        this.jobKeys.delete(name);
        this.counters.forget(name);
        this.registry.remove(name);
      }
    }
    for (const dev of devices) {
      const old = this.devices.get(dev.name);
      // the inventory hands back the same object for a device that did not change
      if (old === dev || (old && JSON.stringify(old) === JSON.stringify(dev))) continue;
      if (old && targetKey(old) !== targetKey(dev)) this.counters.forget(dev.name);
      for (const k of this.jobKeys.get(dev.name) ?? []) this.scheduler.remove(k);
      this.registry.register(dev.name, dev.address, dev.credential.version);
      const keys: string[] = [];
      for (const job of jobsOf(dev)) {
        const key = jobKey(dev.name, job.intervalMs);
        keys.push(key);
        this.scheduler.add({ key, spreadKey: dev.name, intervalMs: job.intervalMs, run: () => this.runJob(dev, job.profiles, job.primary) });
      }
      this.jobKeys.set(dev.name, keys);
    }
    this.devices = next;
  }

  /**
   * Swaps the profile definitions (config reload). Jobs hold profile names only, so no device is
   * re-planned: the next run of each job looks the definitions up anew, while polls in flight
   * finish on the ones they started with. Returns the devices using a profile whose definition
   * was added, changed or removed (their next poll is the first to see it).
   */
  setProfiles(profiles: ProfileRegistry): string[] {
    const old = this.deps.profiles;
    const differs = (name: string) => {
      const [a, b] = [old.get(name), profiles.get(name)];
      return a !== b && JSON.stringify(a?.profile) !== JSON.stringify(b?.profile);
    };
    const touched = new Set([...old.names(), ...profiles.names()].filter(differs));
    this.deps = { ...this.deps, profiles };
    if (touched.size === 0) return [];
    return [...this.devices.values()].filter((d) => d.profiles.some((p) => touched.has(p))).map((d) => d.name);
  }

  private stopped = false;

  start(): void {
    this.stopped = false;
    this.scheduler.start();
  }

  /**
   * Stops polling; polls in flight get `graceMs` to finish (their ICMP checks are sent at once),
   * then are abandoned and fping children still running are ended (SIGTERM, SIGKILL 0.5 s later).
   */
  async stop(graceMs = 5000): Promise<void> {
    const clock = this.opts.clock ?? (() => performance.now());
    const deadline = clock() + graceMs;
    await this.scheduler.stop(graceMs);
    // the scheduler waited for the SNMP parts only: polls waiting for their ICMP batch finish here
    const left = deadline - clock();
    if (this.polls.size > 0 && left > 0) {
      this.batcher?.flush();
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.polls.values()].flatMap((set) => [...set].map((p) => p.done))),
        new Promise<void>((resolve) => { t = setTimeout(resolve, left); }),
      ]);
      clearTimeout(t);
    }
    // abandoned polls' fping children must not outlive netpulse (a long batch keeps probing)
    await this.batcher?.close();
    // polls abandoned after the grace period may still finish: their results go nowhere,
    // since the sink and the state listeners are being closed behind us
    this.stopped = true;
  }

  /** lookupBusy: primary polls that decided nothing because the device's name waited too long for a lookup slot */
  metrics(): SchedulerMetrics & { lookupBusy: number } {
    return { ...this.scheduler.metrics(), lookupBusy: this.lookupBusy };
  }

  /** One poll of one device with all its profiles (the CLI's `poll --once`); writes to the sink and registry too. */
  async pollNow(dev: ResolvedDevice, onSnmpDone?: () => void): Promise<DevicePollResult> {
    this.registry.register(dev.name, dev.address, dev.credential.version);
    const result = await pollDevice(dev, dev.profiles, this.deps, { icmp: true, onSnmpDone });
    this.record(result, true);
    return result;
  }

  /**
   * Checks a scheduled device's state now, ahead of its schedule: the SNMP probe (system group
   * GET) and ICMP, no profiles, recorded like a primary poll (registry, device_status). It runs as
   * an extra run of the device's primary job (Scheduler.pollNow: its slots, never at the same
   * time as a scheduled run of it), not when that job's last run started under `minGapMs` ago.
   * Unlike pollNow(), which polls every profile outside the scheduler for `poll --once`.
   */
  expedite(device: string, minGapMs = 0): PollNowResult {
    const dev = this.devices.get(device);
    if (!dev) return 'unknown';
    return this.scheduler.pollNow(jobKey(dev.name, dev.intervalMs), { minGapMs, run: () => this.runJob(dev, [], true) });
  }

  /** Polls every device once, at most `concurrency` at a time; results in device order. */
  async pollAll(devices: ResolvedDevice[]): Promise<DevicePollResult[]> {
    const results: DevicePollResult[] = new Array(devices.length);
    const polls: Promise<void>[] = [];
    let next = 0;
    // like the scheduler's slots, a worker moves on when the SNMP part is done; the ICMP answers follow in batches
    const worker = async () => {
      while (next < devices.length) {
        const i = next++;
        await new Promise<void>((snmpDone) => {
          const poll = this.pollNow(devices[i], snmpDone).then((r) => { results[i] = r; });
          polls.push(poll);
          poll.then(snmpDone, snmpDone);
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, devices.length) }, worker));
    // nothing more will join the batch: no need to wait for its window
    this.batcher?.flush();
    await Promise.all(polls);
    return results;
  }

  /**
   * The scheduler's slot bounds SNMP work only: it is given back when the SNMP part is done,
   * while the ICMP answer (batched, up to a second away) completes the poll in the background.
   */
  private async runJob(dev: ResolvedDevice, profiles: string[], primary: boolean): Promise<void> {
    // a poll of the device's previous config may still be talking to it: follow it, never run beside it
    const older = [...(this.polls.get(dev.name) ?? [])].filter((p) => p.dev !== dev);
    if (older.length > 0) await Promise.all(older.map((p) => p.snmpDone));
    let releaseSlot!: () => void;
    const snmpDone = new Promise<void>((resolve) => { releaseSlot = resolve; });
    const poll: PollInFlight = { dev, snmpDone, done: Promise.resolve() };
    poll.done = pollDevice(dev, profiles, this.deps, { icmp: primary, onSnmpDone: releaseSlot }).then(
      (result) => {
        // removed, or now pointing at another agent, while it was polled: the result is not the device's any more
        if (!this.isCurrent(dev)) return;
        // a throwing state listener must not become an unhandled rejection (fatal in Node)
        try {
          this.record(result, primary);
        } catch (err) {
          this.log(`poller: device ${dev.name}: recording the result: ${errorMessage(err)}`);
        }
      },
      (err: unknown) => this.log(`poller: device ${dev.name}: ${errorMessage(err)}`),
    ).finally(() => {
      releaseSlot();
      const set = this.polls.get(dev.name);
      set?.delete(poll);
      if (set?.size === 0) this.polls.delete(dev.name);
    });
    let set = this.polls.get(dev.name);
    if (!set) this.polls.set(dev.name, (set = new Set()));
    set.add(poll);
    return snmpDone;
  }

  private isCurrent(dev: ResolvedDevice): boolean {
    const cur = this.devices.get(dev.name);
    // the inventory hands back the same object for an unchanged device: no keys to hash per poll
    return cur === dev || (cur !== undefined && targetKey(cur) === targetKey(dev));
  }

  private record(result: DevicePollResult, primary: boolean): void {
    if (this.stopped) return;
    const samples = result.samples;
    // set by whichever job polls the interfaces profile; cleared when the device changes (register)
    if (result.interfacesFiltered !== undefined) this.registry.noteInterfacesFiltered(result.device, result.interfacesFiltered);
    if (primary && result.lookupBusy) {
      // not a verdict on the device: its state and device_status stay as they were
      this.lookupBusy++;
      this.registry.noteError(result.device, result.error);
    } else if (primary) {
      this.registry.report(result.device, { state: result.state, error: result.error, at: result.at, durationMs: result.durationMs });
      samples.push(statusSample(result, this.registry.get(result.device)?.missedPolls ?? 0));
    } else {
      this.registry.noteError(result.device, result.error);
    }
    try {
      this.opts.sink.write(samples);
    } catch (err) {
      this.log(`poller: sink: ${errorMessage(err)}`);
    }
  }
}
