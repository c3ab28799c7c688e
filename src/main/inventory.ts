/**
 * The devices and credential profiles netpulse polls: the config file's plus the ones created
 * through the API (StateStore `devices`/`credentials`). Config entries are read-only here
 * (edit the file); API entries are created, replaced and removed at runtime, and every change
 * is handed to the listeners (the poller reschedules, the trap resolver re-indexes).
 */
import type { NetpulseConfig } from '../config/types.ts';
import { parentCycles } from '../alerts/suppression.ts';
import { NetpulseError } from '../errors/index.ts';
import type { Credential, Device, ResolvedDevice } from '../model/index.ts';
import type { StateStore } from '../storage/index.ts';

export type Origin = 'config' | 'api';

const err = (target: string, reason: string, kind: string) => new NetpulseError({ scope: 'inventory', target, reason, kind });

function strip(d: ResolvedDevice): Device {
  const { credential: _secret, ...device } = d;
  return device;
}

/**
 * What is wrong with a device's `parents` given the other devices (name → their parents), naming
 * the field, or undefined: each must be another existing device, and no cycle may run through
 * this device (the config file's rules, src/config/parents.ts, on the same parentCycles).
 */
export function parentsProblem(d: Pick<Device, 'name' | 'parents'>, devices: ReadonlyMap<string, readonly string[] | undefined>): string | undefined {
  const parents = d.parents ?? [];
  for (const [i, p] of parents.entries()) {
    if (p === d.name) return `parents[${i}]: device "${p}" cannot be its own parent`;
    if (!devices.has(p)) return `parents[${i}]: unknown device "${p}"`;
  }
  if (parents.length === 0) return undefined;
  const graph = new Map<string, readonly string[]>();
  for (const [name, ps] of devices) if (ps?.length) graph.set(name, ps);
  graph.set(d.name, parents);
  const cycle = parentCycles(graph).find((c) => c.includes(d.name));
  if (!cycle) return undefined;
  const at = cycle.indexOf(d.name); // told from this device: a -> b -> a
  return `parents: parent cycle ${[...cycle.slice(at, -1), ...cycle.slice(0, at), d.name].join(' -> ')}`;
}

export class Inventory {
  private readonly configDevices: Map<string, Device>;
  private readonly configCredentials: Map<string, Credential>;
  private readonly listeners = new Set<() => void>();
  private byAddress = new Map<string, string | null>();
  private byName = new Map<string, Device>();

  constructor(
    config: Pick<NetpulseConfig, 'devices' | 'credentials'>,
    private readonly state: StateStore,
    /** poll profile names the poller knows */
    private readonly profileNames: () => string[],
    private readonly log: (line: string) => void = () => {},
  ) {
    this.configDevices = new Map(config.devices.map((d) => [d.name, strip(d)]));
    this.configCredentials = new Map(Object.entries(config.credentials));
    this.reindex();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  origin(device: string): Origin | undefined {
    if (this.configDevices.has(device)) return 'config';
    return this.state.devices.get(device) ? 'api' : undefined;
  }

  /** config devices first, then API ones (an API device never shadows a config one) */
  devices(): { device: Device; origin: Origin }[] {
    const out: { device: Device; origin: Origin }[] = [...this.configDevices.values()].map((device) => ({ device, origin: 'config' }));
    for (const d of this.state.devices.list()) if (!this.configDevices.has(d.name)) out.push({ device: d, origin: 'api' });
    return out;
  }

  device(name: string): Device | undefined {
    return this.configDevices.get(name) ?? this.state.devices.get(name);
  }

  credential(name: string): Credential | undefined {
    return this.configCredentials.get(name) ?? this.state.credentials.get(name);
  }

  credentials(): { name: string; credential: Credential; origin: Origin }[] {
    const out = [...this.configCredentials].map(([name, credential]) => ({ name, credential, origin: 'config' as Origin }));
    for (const c of this.state.credentials.list()) if (!this.configCredentials.has(c.name)) out.push({ ...c, origin: 'api' });
    return out;
  }

  /** every device with its credential attached; a device whose profile is missing is left out (and logged) */
  resolved(): ResolvedDevice[] {
    const out: ResolvedDevice[] = [];
    for (const { device } of this.devices()) {
      const credential = this.credential(device.credentials);
      if (credential) out.push({ ...device, credential });
      else this.log(`inventory: warning: device ${device.name}: credential profile "${device.credentials}" is missing; not polled`);
    }
    return out;
  }

  /** the device polled at this address; undefined when none or when several share it (then the trap keeps its source address) */
  deviceAt(address: string): string | undefined {
    return this.byAddress.get(address) ?? undefined;
  }

  /** from the index (no store read): alert suppression asks on every alert */
  tags(device: string): Record<string, string> | undefined {
    return this.byName.get(device)?.tags;
  }

  /** the devices this one is reached through (config `parents:` or the API device's); from the index, like `tags` */
  parentsOf(device: string): readonly string[] {
    return this.byName.get(device)?.parents ?? [];
  }

  createDevice(d: Device): Device {
    if (this.configDevices.has(d.name)) throw err(`device ${d.name}`, 'already exists (in the config file)', 'conflict');
    this.check(d);
    this.state.devices.create(d);
    this.changed();
    return d;
  }

  updateDevice(name: string, d: Device): Device {
    if (this.configDevices.has(name)) throw err(`device ${name}`, 'is defined in the config file; edit it there', 'conflict');
    if (!this.state.devices.get(name)) throw err(`device ${name}`, 'no such device', 'not-found');
    if (d.name !== name) throw err(`device ${name}`, `name: a device cannot be renamed (got "${d.name}")`, 'invalid');
    this.check(d);
    this.state.devices.update(name, d);
    this.changed();
    return d;
  }

  removeDevice(name: string): boolean {
    if (this.configDevices.has(name)) throw err(`device ${name}`, 'is defined in the config file; remove it there', 'conflict');
    const children = this.devices().filter(({ device }) => device.parents?.includes(name)).map(({ device }) => device.name);
    if (children.length) throw err(`device ${name}`, `is a parent of ${children.slice(0, 5).join(', ')}${children.length > 5 ? ` and ${children.length - 5} more` : ''}; remove it from their parents first`, 'conflict');
    const removed = this.state.devices.remove(name);
    if (removed) this.changed();
    return removed;
  }

  putCredential(name: string, c: Credential): void {
    if (this.configCredentials.has(name)) throw err(`credential profile ${name}`, 'is defined in the config file; edit it there', 'conflict');
    this.state.credentials.put(name, c);
    this.changed();
  }

  removeCredential(name: string): boolean {
    if (this.configCredentials.has(name)) throw err(`credential profile ${name}`, 'is defined in the config file; remove it there', 'conflict');
    const users = this.devices().filter(({ device }) => device.credentials === name).map(({ device }) => device.name);
    if (users.length) throw err(`credential profile ${name}`, `in use by ${users.slice(0, 5).join(', ')}${users.length > 5 ? ` and ${users.length - 5} more` : ''}`, 'conflict');
    const removed = this.state.credentials.remove(name);
    if (removed) this.changed();
    return removed;
  }

  private check(d: Device): void {
    if (!this.credential(d.credentials)) throw err(`device ${d.name}`, `credentials: unknown credential profile "${d.credentials}"`, 'invalid');
    const known = new Set(this.profileNames());
    const bad = [...d.profiles, ...Object.keys(d.profileIntervalsMs ?? {})].filter((p) => !known.has(p));
    if (bad.length) throw err(`device ${d.name}`, `profiles: unknown poll profile "${bad[0]}" (known: ${[...known].join(', ')})`, 'invalid');
    this.checkParents(d);
  }

  private checkParents(d: Device): void {
    const problem = parentsProblem(d, new Map(this.devices().map(({ device }) => [device.name, device.parents])));
    if (problem) throw err(`device ${d.name}`, problem, 'invalid');
  }

  private reindex(): void {
    const m = new Map<string, string | null>();
    const byName = new Map<string, Device>();
    for (const { device } of this.devices()) {
      m.set(device.address, m.has(device.address) ? null : device.name);
      byName.set(device.name, device);
    }
    this.byAddress = m;
    this.byName = byName;
  }

  private changed(): void {
    this.reindex();
    for (const l of this.listeners) l();
  }
}
