/**
 * Runs discovery over the managed devices (on demand, and on a cron schedule through
 * node-cron), keeps the latest graph (persisted through a TopologyStore), emits link events
 * and runs the optional crawl and subnet sweep.
 */
import { EventEmitter } from 'node:events';
import cron from 'node-cron';
import { errorMessage } from '../errors/index.ts';
import type { IcmpChecker } from '../icmp/types.ts';
import type { ResolvedDevice } from '../model/device.ts';
import type { SnmpClient, SnmpTarget } from '../snmp/types.ts';
import { crawl, sweep, type CrawlResult, type ProbeOptions, type ProbeProfile, type SweepResult } from './autodiscover.ts';
import { collectDevice, type CollectOptions } from './collect.ts';
import { diffLinks, type LinkEvent } from './diff.ts';
import { buildGraph, type TopologyGraph } from './graph.ts';
import type { DeviceReport } from './report.ts';
import type { TopologyStore } from './store.ts';

export interface AutodiscoverOptions {
  /** credential profiles tried on new addresses (ordered v3, v2c, v1 by the prober) */
  profiles: ProbeProfile[];
  probe?: ProbeOptions;
  crawl?: { subnets: string[]; maxDevices: number };
  sweep?: { subnets: string[]; allowLarge?: boolean; icmp?: IcmpChecker };
}

export interface TopologyServiceOptions {
  client: SnmpClient;
  devices: () => ResolvedDevice[];
  target: (d: ResolvedDevice) => SnmpTarget;
  /** devices discovered at once (the SNMP client also limits globally) */
  concurrency?: number;
  collect?: CollectOptions;
  /** where the last graph is loaded from at start and saved to after each discovery */
  store?: TopologyStore;
  /** graph to start from when there is no store (first-seen times survive restarts) */
  initial?: TopologyGraph;
  /** called after each discovery */
  onGraph?: (g: TopologyGraph) => void | Promise<void>;
  autodiscover?: AutodiscoverOptions;
  now?: () => number;
}

export interface DiscoveryRun {
  startedAt: number;
  durationMs: number;
  devices: number;
  nodes: number;
  links: number;
  /** unreachable devices, tables that failed, a store that could not save: one line each */
  errors: string[];
}

export interface NeighborView {
  node: string;
  label?: string;
  managed: boolean;
  address?: string;
  localPort?: string;
  remotePort?: string;
  sources: string[];
  inferred: boolean;
}

export interface AutodiscoverResult {
  crawl?: CrawlResult;
  sweep?: SweepResult;
}

export interface TopologyService {
  /** resolves once the stored graph is loaded (discover() waits for it too) */
  ready(): Promise<void>;
  discover(): Promise<TopologyGraph>;
  /** true while a discovery runs (a second discover() joins it) */
  running(): boolean;
  graph(): TopologyGraph | undefined;
  lastRun(): DiscoveryRun | undefined;
  /** reports of the last discovery (what each device's tables said) */
  reports(): DeviceReport[];
  neighbors(device: string): NeighborView[] | undefined;
  /** crawl and sweep as configured; found devices are returned, not added */
  autodiscover(): Promise<AutodiscoverResult>;
  /**
   * one scheduled run: discovery, then autodiscover() when configured (its result as a `found`
   * event); a failure is recorded in the last run's errors and thrown
   */
  runScheduled(): Promise<void>;
  /** runScheduled() on a cron schedule of its own (netpulse start puts it in its CronRegistry instead) */
  schedule(expression: string): void;
  on(event: 'link', listener: (e: LinkEvent) => void): void;
  on(event: 'found', listener: (r: AutodiscoverResult) => void): void;
  off(event: 'link' | 'found', listener: (...args: never[]) => void): void;
  stop(): void;
}

export function createTopologyService(opts: TopologyServiceOptions): TopologyService {
  const events = new EventEmitter();
  let current = opts.initial;
  let last: DiscoveryRun | undefined;
  let lastReports: DeviceReport[] = [];
  let running: Promise<TopologyGraph> | undefined;
  let task: { stop(): void } | undefined;
  const loadErrors: string[] = [];
  const now = opts.now ?? Date.now;

  const loaded = (async () => {
    if (!opts.store) return;
    try {
      const g = await opts.store.load();
      if (g) current = g;
    } catch (err) {
      loadErrors.push(`topology store: load: ${errorMessage(err)}`);
    }
  })();

  async function collectAll(devices: ResolvedDevice[]): Promise<DeviceReport[]> {
    const reports: DeviceReport[] = new Array(devices.length);
    let next = 0;
    const worker = async () => {
      while (next < devices.length) {
        const i = next++;
        const d = devices[i];
        reports[i] = await collectDevice(opts.client, d.name, opts.target(d), opts.collect);
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 64, devices.length) }, worker));
    return reports;
  }

  async function run(): Promise<TopologyGraph> {
    await loaded;
    const startedAt = now();
    const devices = opts.devices();
    const reports = await collectAll(devices);
    const g = buildGraph(reports, now(), current);
    const errors = [...loadErrors.splice(0), ...g.anomalies.filter((a) => a.kind === 'unreachable' || a.kind === 'table-error').map((a) => a.message)];
    const events = diffLinks(current, g);
    current = g;
    lastReports = reports;
    try {
      await opts.store?.save(g);
    } catch (err) {
      errors.push(`topology store: save: ${errorMessage(err)}`);
    }
    try {
      await opts.onGraph?.(g);
    } catch (err) {
      errors.push(`topology: onGraph: ${errorMessage(err)}`);
    }
    last = { startedAt, durationMs: now() - startedAt, devices: devices.length, nodes: g.nodes.length, links: g.links.length, errors };
    for (const e of events) emitLink(e);
    return g;
  }

  const emitLink = (e: LinkEvent) => {
    // a listener that throws must not break discovery
    for (const l of events.listeners('link')) {
      try {
        (l as (e: LinkEvent) => void)(e);
      } catch { /* the listener's problem */ }
    }
  };

  const service: TopologyService = {
    ready: () => loaded,
    discover() {
      running ??= run().finally(() => (running = undefined));
      return running;
    },
    running: () => running !== undefined,
    graph: () => current,
    lastRun: () => last,
    reports: () => lastReports,
    neighbors(device) {
      if (!current || !current.nodes.some((n) => n.id === device)) return undefined;
      const byId = new Map(current.nodes.map((n) => [n.id, n]));
      return current.links.flatMap((l) => {
        const [near, far] = l.a.node === device ? [l.a, l.b] : l.b.node === device ? [l.b, l.a] : [];
        if (!near || !far) return [];
        const n = byId.get(far.node);
        return [{ node: far.node, label: n?.label, managed: n?.managed ?? false, address: n?.address, localPort: near.port, remotePort: far.port, sources: [...l.sources], inferred: l.inferred }];
      });
    },
    async autodiscover() {
      const a = opts.autodiscover;
      if (!a) return {};
      const known = opts.devices().map((d) => d.address);
      const knownNames = opts.devices().map((d) => d.name);
      const out: AutodiscoverResult = {};
      if (a.crawl) {
        if (lastReports.length === 0) await service.discover();
        out.crawl = await crawl({ client: opts.client, ...a.probe, subnets: a.crawl.subnets, maxDevices: a.crawl.maxDevices, profiles: a.profiles, reports: lastReports, known, knownNames });
      }
      if (a.sweep) {
        const foundByCrawl = out.crawl?.found.map((f) => f.address) ?? [];
        out.sweep = await sweep({
          client: opts.client, ...a.probe, icmp: a.sweep.icmp, subnets: a.sweep.subnets, allowLarge: a.sweep.allowLarge, profiles: a.profiles,
          known: [...known, ...foundByCrawl, ...lastReports.flatMap((r) => r.addresses.map((x) => x.ip))],
          knownNames: [...knownNames, ...(out.crawl?.found.map((f) => f.name) ?? [])],
        });
      }
      return out;
    },
    async runScheduled() {
      try {
        await service.discover();
        if (opts.autodiscover) events.emit('found', await service.autodiscover());
      } catch (err) {
        last = { ...(last ?? { startedAt: now(), durationMs: 0, devices: 0, nodes: 0, links: 0 }), errors: [...(last?.errors ?? []), `topology: scheduled run: ${errorMessage(err)}`] };
        throw err;
      }
    },
    schedule(expression) {
      if (!cron.validate(expression)) throw new Error(`topology: schedule: "${expression}" is not a cron expression`);
      task?.stop();
      task = cron.schedule(expression, () => service.runScheduled().catch(() => undefined));
    },
    on(event: 'link' | 'found', listener: (...args: never[]) => void) {
      events.on(event, listener as (...args: unknown[]) => void);
    },
    off(event, listener) {
      events.off(event, listener as (...args: unknown[]) => void);
    },
    stop() {
      task?.stop();
      task = undefined;
    },
  };
  return service;
}
