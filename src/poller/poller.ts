/** The poller: devices → scheduled jobs → DevicePollResults → Samples on a sink, status in the registry. */
import type { ResolvedDevice } from '../model/device.ts';
import type { InterfaceFilter } from '../model/interface-filter.ts';
import type { Sample, SampleSink } from '../model/sample.ts';
import { STATE_CODES } from '../model/schema.ts';
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
  now?: () => number;
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
  private readonly counters = new CounterStore();
  private readonly batcher: IcmpBatcher | undefined;
  private readonly deps: DevicePollDeps;
  private devices = new Map<string, ResolvedDevice>();
  private readonly jobKeys = new Map<string, string[]>();
  private readonly log: (line: string) => void;

  constructor(private readonly opts: PollerOptions) {
    this.registry = opts.registry ?? new DeviceStatusRegistry();
    this.log = opts.log ?? (() => {});
    this.batcher = opts.icmp ? new IcmpBatcher(opts.icmp, opts.icmpOptions, opts.icmpBatchWindowMs ?? 1000) : undefined;
    this.deps = {
      snmp: opts.snmp, icmp: this.batcher, profiles: opts.profiles, counters: this.counters,
      snmpSettings: opts.snmpSettings, walkLimits: opts.walkLimits, interfaceFilter: opts.interfaceFilter, now: opts.now,
    };
    this.scheduler = new Scheduler({
      concurrency: opts.concurrency,
      now: opts.now,
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
      if (old && JSON.stringify(old) === JSON.stringify(dev)) continue;
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

  private stopped = false;

  start(): void {
    this.stopped = false;
    this.scheduler.start();
  }

  async stop(graceMs = 5000): Promise<void> {
    await this.scheduler.stop(graceMs);
    this.batcher?.close();
    // polls abandoned after the grace period may still finish: their results go nowhere,
    // since the sink and the state listeners are being closed behind us
    this.stopped = true;
  }

  metrics(): SchedulerMetrics {
    return this.scheduler.metrics();
  }

  /** One poll of one device with all its profiles (the CLI's `poll --once`); writes to the sink and registry too. */
  async pollNow(dev: ResolvedDevice): Promise<DevicePollResult> {
    this.registry.register(dev.name, dev.address, dev.credential.version);
    const result = await pollDevice(dev, dev.profiles, this.deps, { icmp: true });
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
    let next = 0;
    const worker = async () => {
      while (next < devices.length) {
        const i = next++;
        results[i] = await this.pollNow(devices[i]);
      }
    };
    const all = Promise.all(Array.from({ length: Math.min(this.opts.concurrency, devices.length) }, worker));
    // the first wave of ICMP checks need not wait for the batch window
    const flush = setTimeout(() => this.batcher?.flush(), 20);
    try {
      await all;
    } finally {
      clearTimeout(flush);
    }
    return results;
  }

  /**
   * The scheduler's slot bounds SNMP work only: it is given back when the SNMP part is done,
   * while the ICMP answer (batched, up to a second away) completes the poll in the background.
   */
  private runJob(dev: ResolvedDevice, profiles: string[], primary: boolean): Promise<void> {
    return new Promise<void>((releaseSlot) => {
      pollDevice(dev, profiles, this.deps, { icmp: primary, onSnmpDone: releaseSlot }).then(
        (result) => {
          // a throwing state listener must not become an unhandled rejection (fatal in Node)
          try {
            this.record(result, primary);
          } catch (err) {
            this.log(`poller: device ${dev.name}: recording the result: ${errorMessage(err)}`);
          }
        },
        (err: unknown) => this.log(`poller: device ${dev.name}: ${errorMessage(err)}`),
      ).finally(releaseSlot);
    });
  }

  private record(result: DevicePollResult, primary: boolean): void {
    if (this.stopped) return;
    const samples = result.samples;
    // set by whichever job polls the interfaces profile; cleared when the device changes (register)
    if (result.interfacesFiltered !== undefined) this.registry.noteInterfacesFiltered(result.device, result.interfacesFiltered);
    if (primary) {
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
