/**
 * Runs discovery over the managed devices (on demand, and on a cron schedule through
 * node-cron), keeps the latest graph and emits link events.
 */
import { EventEmitter } from 'node:events';
import cron from 'node-cron';
import type { ResolvedDevice } from '../model/device.ts';
import type { SnmpClient, SnmpTarget } from '../snmp/types.ts';
import { collectDevice } from './collect.ts';
import { diffLinks, type LinkEvent } from './diff.ts';
import { buildGraph, type TopologyGraph } from './graph.ts';
import type { DeviceReport } from './report.ts';

export interface TopologyServiceOptions {
  client: SnmpClient;
  devices: () => ResolvedDevice[];
  target: (d: ResolvedDevice) => SnmpTarget;
  /** devices discovered at once (the SNMP client also limits globally) */
  concurrency?: number;
  /** persisted graph to start from (first-seen times survive restarts) */
  initial?: TopologyGraph;
  /** called after each discovery, e.g. to persist the graph */
  onGraph?: (g: TopologyGraph) => void | Promise<void>;
  now?: () => number;
}

export interface TopologyService {
  discover(): Promise<TopologyGraph>;
  graph(): TopologyGraph | undefined;
  neighbors(device: string): { node: string; localPort?: string; remotePort?: string; sources: string[]; inferred: boolean }[] | undefined;
  schedule(expression: string): void;
  on(event: 'link', listener: (e: LinkEvent) => void): void;
  stop(): void;
}

export function createTopologyService(opts: TopologyServiceOptions): TopologyService {
  const events = new EventEmitter();
  let current = opts.initial;
  let running: Promise<TopologyGraph> | undefined;
  let task: { stop(): void } | undefined;
  const now = opts.now ?? Date.now;

  async function run(): Promise<TopologyGraph> {
    const devices = opts.devices();
    const reports: DeviceReport[] = new Array(devices.length);
    let next = 0;
    const worker = async () => {
      while (next < devices.length) {
        const i = next++;
        const d = devices[i];
        reports[i] = await collectDevice(opts.client, d.name, opts.target(d));
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 64, devices.length) }, worker));
    const g = buildGraph(reports, now(), current);
    for (const e of diffLinks(current, g)) events.emit('link', e);
    current = g;
    await opts.onGraph?.(g);
    return g;
  }

  return {
    discover() {
      // one discovery at a time: a second request joins the running one
      running ??= run().finally(() => (running = undefined));
      return running;
    },
    graph: () => current,
    neighbors(device) {
      if (!current || !current.nodes.some((n) => n.id === device)) return undefined;
      return current.links.flatMap((l) => {
        if (l.a.node === device) return [{ node: l.b.node, localPort: l.a.port, remotePort: l.b.port, sources: l.sources, inferred: l.inferred }];
        if (l.b.node === device) return [{ node: l.a.node, localPort: l.b.port, remotePort: l.a.port, sources: l.sources, inferred: l.inferred }];
        return [];
      });
    },
    schedule(expression) {
      if (!cron.validate(expression)) throw new Error(`topology: schedule: "${expression}" is not a cron expression`);
      task?.stop();
      task = cron.schedule(expression, () => { void this.discover().catch(() => undefined); });
    },
    on(event, listener) {
      events.on(event, listener);
    },
    stop() {
      task?.stop();
    },
  };
}
