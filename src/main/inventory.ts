/**
 * The devices and credential profiles netpulse polls: the config file's plus the ones created
 * through the API (StateStore `devices`/`credentials`). Config entries are read-only through the
 * API (edit the file; a config reload swaps them all: replaceConfig); API entries are created,
 * replaced and removed at runtime, and every change is handed to the listeners (the poller
 * reschedules, the trap resolver re-indexes). A config device hides an API device of its name,
 * a config credential profile an API profile of its name (both warned; the hidden device can be
 * removed: removeHiddenDevice); a reload that would
 * change what API devices poll with is refused (reloadProblems).
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
 * this device (the config file's rules, src/config/parents.ts, on the same parentCycles). Only
 * the device's ancestors are visited: a cycle through it runs through them alone.
 */
export function parentsProblem(d: Pick<Device, 'name' | 'parents'>, devices: Pick<ReadonlyMap<string, readonly string[] | undefined>, 'has' | 'get'>): string | undefined {
  const parents = d.parents ?? [];
  for (const [i, p] of parents.entries()) {
    if (p === d.name) return `parents[${i}]: device "${p}" cannot be its own parent`;
    if (!devices.has(p)) return `parents[${i}]: unknown device "${p}"`;
  }
  if (parents.length === 0) return undefined;
  const graph = new Map<string, readonly string[]>([[d.name, parents]]);
  const todo = [...parents];
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (graph.has(name)) continue;
    const ps = devices.get(name) ?? [];
    graph.set(name, ps);
    todo.push(...ps);
  }
  const cycle = parentCycles(graph).find((c) => c.includes(d.name));
  if (!cycle) return undefined;
  const at = cycle.indexOf(d.name); // told from this device: a -> b -> a
  return `parents: parent cycle ${[...cycle.slice(at, -1), ...cycle.slice(0, at), d.name].join(' -> ')}`;
}

/** What changed: the devices whose definition or resolved credential may differ (added, replaced, removed). */
export interface InventoryChange {
  devices: string[];
}

/** What a config reload changed, by device name (a device whose credential profile changed counts as changed). */
export interface ConfigDevicesChange {
  added: string[];
  changed: string[];
  removed: string[];
  /** API devices hidden by a config device of the same name since this change */
  shadowed: string[];
}

/**
 * Reads the store once, at construction: every later change goes through this class, which
 * updates its indexes for the changed entries only (a create costs the same at 10 or 10,000 devices).
 */
export class Inventory {
  private configDevices: Map<string, Device>;
  private configCredentials: Map<string, Credential>;
  /** API devices hidden by a config device of their name (back when that config device goes) */
  private readonly shadowedApi = new Map<string, Device>();
  private readonly listeners = new Set<(change: InventoryChange) => void>();
  /** API devices (config names shadow them), sorted by name like the store lists them */
  private readonly apiDevices = new Map<string, Device>();
  private apiNames: string[] = [];
  private readonly apiCredentials = new Map<string, Credential>();
  /** config devices first, then API ones; rebuilt lazily after a change */
  private list: { device: Device; origin: Origin }[] | undefined;
  private readonly resolvedByName = new Map<string, ResolvedDevice>();
  private resolvedList: ResolvedDevice[] | undefined;
  /** address → the names polled there */
  private readonly byAddress = new Map<string, Set<string>>();
  private readonly byName = new Map<string, Device>();

  constructor(
    config: Pick<NetpulseConfig, 'devices' | 'credentials'>,
    private readonly state: StateStore,
    /** poll profile names the poller knows */
    private readonly profileNames: () => string[],
    private readonly log: (line: string) => void = () => {},
  ) {
    this.configDevices = new Map(config.devices.map((d) => [d.name, strip(d)]));
    this.configCredentials = new Map(Object.entries(config.credentials));
    for (const d of state.devices.list()) {
      if (this.configDevices.has(d.name)) {
        this.shadowedApi.set(d.name, d);
        this.log(shadowWarning(d.name));
        continue;
      }
      this.apiDevices.set(d.name, d);
      this.apiNames.push(d.name);
    }
    for (const c of state.credentials.list()) this.apiCredentials.set(c.name, c.credential);
    for (const { device } of this.devices()) this.index(device);
    for (const name of this.configCredentials.keys()) if (this.apiCredentials.has(name)) this.log(credentialShadowWarning(name, this.apiUsersOf(name)));
  }

  onChange(listener: (change: InventoryChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  origin(device: string): Origin | undefined {
    if (this.configDevices.has(device)) return 'config';
    return this.apiDevices.has(device) ? 'api' : undefined;
  }

  /** whether the config device `name` hides an API-created device of its name (warned at start-up and reload) */
  shadows(name: string): boolean {
    return this.shadowedApi.has(name);
  }

  /** config devices first, then API ones (an API device never shadows a config one) */
  devices(): { device: Device; origin: Origin }[] {
    this.list ??= [
      ...[...this.configDevices.values()].map((device) => ({ device, origin: 'config' as Origin })),
      ...this.apiNames.map((name) => ({ device: this.apiDevices.get(name)!, origin: 'api' as Origin })),
    ];
    return [...this.list];
  }

  device(name: string): Device | undefined {
    return this.configDevices.get(name) ?? this.apiDevices.get(name);
  }

  credential(name: string): Credential | undefined {
    return this.configCredentials.get(name) ?? this.apiCredentials.get(name);
  }

  credentials(): { name: string; credential: Credential; origin: Origin }[] {
    const out = [...this.configCredentials].map(([name, credential]) => ({ name, credential, origin: 'config' as Origin }));
    const api = [...this.apiCredentials].filter(([name]) => !this.configCredentials.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, credential] of api) out.push({ name, credential, origin: 'api' });
    return out;
  }

  /**
   * every device with its credential attached; a device whose profile is missing is left out (and
   * logged). An unchanged device keeps its object from one call to the next.
   */
  resolved(): ResolvedDevice[] {
    if (!this.resolvedList) {
      const out: ResolvedDevice[] = [];
      for (const { device } of this.devices()) {
        const r = this.resolve(device);
        if (r) out.push(r);
      }
      this.resolvedList = out;
    }
    return [...this.resolvedList];
  }

  /** the device polled at this address; undefined when none or when several share it (then the trap keeps its source address) */
  deviceAt(address: string): string | undefined {
    const names = this.byAddress.get(address);
    return names?.size === 1 ? names.values().next().value : undefined;
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
    const at = sortedIndex(this.apiNames, d.name);
    this.apiNames.splice(at, 0, d.name);
    this.setApiDevice(d);
    return d;
  }

  updateDevice(name: string, d: Device): Device {
    if (this.configDevices.has(name)) throw err(`device ${name}`, 'is defined in the config file; edit it there', 'conflict');
    if (!this.apiDevices.has(name)) throw err(`device ${name}`, 'no such device', 'not-found');
    if (d.name !== name) throw err(`device ${name}`, `name: a device cannot be renamed (got "${d.name}")`, 'invalid');
    this.check(d);
    this.state.devices.update(name, d);
    this.setApiDevice(d);
    return d;
  }

  removeDevice(name: string): boolean {
    if (this.configDevices.has(name)) {
      const hidden = this.shadowedApi.has(name) ? ' (an API-created device of that name is hidden behind it: to remove that one, delete with ?hidden=true)' : '';
      throw err(`device ${name}`, `is defined in the config file; remove it there${hidden}`, 'conflict');
    }
    const children = this.devices().filter(({ device }) => device.parents?.includes(name)).map(({ device }) => device.name);
    if (children.length) throw err(`device ${name}`, `is a parent of ${listNames(children)}; remove it from their parents first`, 'conflict');
    const removed = this.state.devices.remove(name);
    const old = this.apiDevices.get(name);
    if (old) {
      this.unindex(old);
      this.apiDevices.delete(name);
      this.apiNames.splice(sortedIndex(this.apiNames, name), 1);
      this.changed([name]);
    }
    return removed;
  }

  /** the API-created device a config device of its name hides (neither listed nor polled), if any */
  hiddenDevice(name: string): Device | undefined {
    return this.shadowedApi.get(name);
  }

  /**
   * Removes the API-created device a config device of its name hides, from the store too (it
   * would not come back when that config device leaves the file, nor be warned about at start-up);
   * false when none is hidden. The config device stays as it is: nothing polled changes.
   */
  removeHiddenDevice(name: string): boolean {
    if (!this.shadowedApi.has(name)) return false;
    this.state.devices.remove(name);
    this.shadowedApi.delete(name);
    this.changed([]);
    return true;
  }

  putCredential(name: string, c: Credential): void {
    if (this.configCredentials.has(name)) throw err(`credential profile ${name}`, 'is defined in the config file; edit it there', 'conflict');
    this.state.credentials.put(name, c);
    this.apiCredentials.set(name, c);
    this.changed(this.usersOf(name));
  }

  /**
   * Refused while a device uses the profile, an API device a config device of its name hides
   * included: it polls with the profile again once that config device leaves the file (the
   * reload would be refused, comebackProblem), and the API cannot repoint it while it is hidden.
   */
  removeCredential(name: string): boolean {
    if (this.configCredentials.has(name)) throw err(`credential profile ${name}`, 'is defined in the config file; remove it there', 'conflict');
    const users = this.usersOf(name);
    const hidden = [...this.shadowedApi.values()].filter((d) => d.credentials === name).map((d) => d.name).sort();
    if (users.length || hidden.length) throw err(`credential profile ${name}`, inUse(users, hidden), 'conflict');
    const removed = this.state.credentials.remove(name);
    if (this.apiCredentials.delete(name)) this.changed([]);
    return removed;
  }

  /**
   * Why the file's devices and credential profiles must not replace the running ones (the
   * reload is refused, nothing applied), as problems naming the profile and the API devices
   * concerned; [] when they may. A reload must not change the profile API devices poll with
   * behind the engineer's back: it may not remove a config profile they use (their polls would
   * stop; the API refuses deleting a profile in use the same way), nor add a config profile
   * named like an API-created one they use (it would replace it for them; the API refuses
   * creating a profile named like a config one). API devices hidden by a device of the file
   * are not polled and do not count; one that comes back (the file no longer has a device of its
   * name) is checked as a device the reload brings in (comebackProblem).
   */
  reloadProblems(config: Pick<NetpulseConfig, 'devices' | 'credentials'>): string[] {
    const hidden = new Set(config.devices.map((d) => d.name));
    const back = [...this.shadowedApi.values()].filter((d) => !hidden.has(d.name));
    // name -> parents of every device listed after the reload (the file's, the API's it does not hide, those back)
    const parentsAfter = new Map<string, readonly string[] | undefined>();
    if (back.length) {
      for (const x of config.devices) parentsAfter.set(x.name, x.parents);
      for (const name of this.apiNames) if (!parentsAfter.has(name)) parentsAfter.set(name, this.apiDevices.get(name)!.parents);
      for (const x of back) parentsAfter.set(x.name, x.parents);
    }
    const removed = new Map<string, string[]>();
    const taken = new Map<string, string[]>();
    for (const name of this.apiNames) {
      const d = this.apiDevices.get(name)!;
      if (hidden.has(name)) continue;
      const c = d.credentials;
      const inFile = Object.hasOwn(config.credentials, c);
      if (this.configCredentials.has(c) && !inFile && !this.apiCredentials.has(c)) push(removed, c, d.name);
      else if (!this.configCredentials.has(c) && inFile && this.apiCredentials.has(c)) push(taken, c, d.name);
    }
    return [
      ...[...removed].map(([c, users]) => `credentials.${c}: removed from the file, but API devices use it: ${listNames(users)} (they would no longer be polled); point them at another credential profile through the API first, or keep it in the file`),
      ...[...taken].map(([c, users]) => `credentials.${c}: an API-created credential profile of this name is used by API devices ${listNames(users)}; the file's would replace it for them: rename the file's profile, or point those devices at another profile through the API first`),
      ...back.flatMap((d) => this.comebackProblem(d, config, parentsAfter) ?? []),
    ];
  }

  /**
   * Why the API device `d`, hidden until now by a config device of its name that the file drops,
   * must not come back (the reload is refused), or undefined. Its credential profile is resolved
   * against the profiles as they are after the reload: it must exist (else it would come back
   * unpolled) and must not be the file's profile of a name an API-created profile also has (it
   * would poll with the file's, not the API one: the rule for the devices listed). Its parents
   * (`parents`: every device's after the reload) must not close a cycle; one no longer in the
   * inventory is warned about, as for every device.
   */
  private comebackProblem(d: Device, config: Pick<NetpulseConfig, 'devices' | 'credentials'>, parents: ReadonlyMap<string, readonly string[] | undefined>): string | undefined {
    const at = `devices: ${d.name}: removed from the file, so the API-created device of that name it hid would be polled again`;
    const c = d.credentials;
    const inFile = Object.hasOwn(config.credentials, c);
    const inApi = this.apiCredentials.has(c);
    if (!inFile && !inApi) {
      const why = this.configCredentials.has(c) ? 'leaves the file too' : 'does not exist';
      return `${at}, but its credential profile "${c}" ${why} (it would not be polled): keep the device in the file, or create profile "${c}" (in the file or through the API) first`;
    }
    if (inFile && inApi) {
      return `${at}, but its credential profile "${c}" would be the file's, not the API-created profile of that name: rename the file's profile, or keep the device in the file`;
    }
    // `has` says yes to every name: a parent gone is warned about at replaceConfig, not refused
    const problem = parentsProblem(d, { has: () => true, get: (name) => parents.get(name) });
    return problem && `${at}, but its ${problem}: keep the device in the file, or edit the parents of the devices in the cycle`;
  }

  /**
   * Swaps the config file's devices and credential profiles (a config reload; check
   * reloadProblems first) and tells the
   * listeners once, naming the devices added, changed (their definition or resolved credential)
   * and removed. An API device hidden by a new config device leaves the list (warned); one
   * hidden by a config device now gone comes back (reloadProblems checked its credential
   * profile; a poll profile it names that is not defined is warned about).
   */
  replaceConfig(config: Pick<NetpulseConfig, 'devices' | 'credentials'>): ConfigDevicesChange {
    const before = new Map(this.devices().map(({ device }) => [device.name, { device, credential: this.credential(device.credentials) }]));
    // an entry equal to the running one keeps its object: the resolved-device cache and the poller go by identity
    const same = <T>(old: T | undefined, next: T): T => (old !== undefined && JSON.stringify(old) === JSON.stringify(next) ? old : next);
    const nextDevices = new Map(config.devices.map((d) => [d.name, same(this.configDevices.get(d.name), strip(d))]));
    const nextCredentials = new Map(Object.entries(config.credentials).map(([name, c]) => [name, same(this.configCredentials.get(name), c)]));
    for (const d of this.configDevices.values()) this.unindex(d, false); // the touched ones leave the resolved cache below
    const shadowed: string[] = [];
    for (const name of nextDevices.keys()) {
      const api = this.apiDevices.get(name);
      if (!api) continue;
      this.unindex(api);
      this.apiDevices.delete(name);
      this.apiNames.splice(sortedIndex(this.apiNames, name), 1);
      this.shadowedApi.set(name, api);
      shadowed.push(name);
      this.log(shadowWarning(name));
    }
    const known = new Set(this.profileNames());
    for (const [name, api] of this.shadowedApi) {
      if (nextDevices.has(name)) continue;
      this.shadowedApi.delete(name);
      this.apiDevices.set(name, api);
      this.apiNames.splice(sortedIndex(this.apiNames, name), 0, name);
      this.index(api);
      const unknown = unknownProfiles(api, known);
      if (unknown.length) this.log(`inventory: warning: device ${name} (API, back now that the config device of its name left the file): poll profile ${unknown.map((p) => `"${p}"`).join(', ')} not defined; its polls report it unknown until it is defined again or the device is edited`);
    }
    const previousCredentials = this.configCredentials;
    this.configDevices = nextDevices;
    this.configCredentials = nextCredentials;
    for (const name of this.apiCredentials.keys()) {
      if (nextCredentials.has(name) && !previousCredentials.has(name)) this.log(credentialShadowWarning(name, this.apiUsersOf(name)));
      else if (previousCredentials.has(name) && !nextCredentials.has(name)) this.log(credentialBackWarning(name, this.apiUsersOf(name)));
    }
    for (const d of nextDevices.values()) this.index(d);
    this.list = undefined;

    const out: ConfigDevicesChange = { added: [], changed: [], removed: [], shadowed };
    const after = this.devices();
    const names = new Set(after.map(({ device }) => device.name));
    for (const { device } of after) {
      const old = before.get(device.name);
      if (!old) out.added.push(device.name);
      else if (old.credential !== this.credential(device.credentials) || old.device !== device) out.changed.push(device.name);
    }
    for (const name of before.keys()) if (!names.has(name)) out.removed.push(name);
    for (const { device } of after) {
      for (const p of device.parents ?? []) if (!names.has(p)) this.log(`inventory: warning: device ${device.name}: parent "${p}" is no longer in the inventory (removed from the config file)`);
    }
    const touched = [...out.added, ...out.changed, ...out.removed];
    for (const name of touched) this.resolvedByName.delete(name);
    this.changed(touched);
    return out;
  }

  private usersOf(credential: string): string[] {
    return this.devices().filter(({ device }) => device.credentials === credential).map(({ device }) => device.name);
  }

  /** the API devices listed (not hidden by a config device) that name this credential profile */
  private apiUsersOf(credential: string): string[] {
    return this.apiNames.filter((name) => this.apiDevices.get(name)!.credentials === credential);
  }

  private resolve(device: Device): ResolvedDevice | undefined {
    const credential = this.credential(device.credentials);
    const cached = this.resolvedByName.get(device.name);
    if (cached && cached.credential === credential) return cached; // dropped from the cache when the device changes
    if (!credential) {
      this.resolvedByName.delete(device.name);
      this.log(`inventory: warning: device ${device.name}: credential profile "${device.credentials}" is missing; not polled`);
      return undefined;
    }
    const r = { ...device, credential };
    this.resolvedByName.set(device.name, r);
    return r;
  }

  private setApiDevice(d: Device): void {
    const old = this.apiDevices.get(d.name);
    if (old) this.unindex(old);
    this.apiDevices.set(d.name, d);
    this.index(d);
    this.changed([d.name]);
  }

  private index(d: Device): void {
    const names = this.byAddress.get(d.address);
    if (names) names.add(d.name);
    else this.byAddress.set(d.address, new Set([d.name]));
    this.byName.set(d.name, d);
  }

  private unindex(d: Device, dropResolved = true): void {
    const names = this.byAddress.get(d.address);
    names?.delete(d.name);
    if (names?.size === 0) this.byAddress.delete(d.address);
    this.byName.delete(d.name);
    if (dropResolved) this.resolvedByName.delete(d.name);
  }

  private check(d: Device): void {
    if (!this.credential(d.credentials)) throw err(`device ${d.name}`, `credentials: unknown credential profile "${d.credentials}"`, 'invalid');
    const known = new Set(this.profileNames());
    const bad = unknownProfiles(d, known);
    if (bad.length) throw err(`device ${d.name}`, `profiles: unknown poll profile "${bad[0]}" (known: ${[...known].join(', ')})`, 'invalid');
    const problem = parentsProblem(d, this.parentsIndex);
    if (problem) throw err(`device ${d.name}`, problem, 'invalid');
  }

  /** name → parents, straight from the index (no copy) */
  private readonly parentsIndex: Parameters<typeof parentsProblem>[1] = {
    has: (name) => this.byName.has(name),
    get: (name) => this.byName.get(name)?.parents,
  };

  private changed(devices: string[]): void {
    this.list = undefined;
    this.resolvedList = undefined;
    for (const name of devices) this.resolvedByName.delete(name);
    for (const l of this.listeners) l({ devices });
  }
}

function shadowWarning(name: string): string {
  return `inventory: warning: device ${name} of the config file hides the API-created device of that name (the API lists and polls the config one; rename or remove one of them)`;
}

function credentialShadowWarning(name: string, apiUsers: string[]): string {
  const users = apiUsers.length ? ` (API devices ${listNames(apiUsers)} poll with the config one)` : '';
  return `inventory: warning: credential profile ${name} of the config file hides the API-created profile of that name${users}; rename or remove one of them`;
}

function credentialBackWarning(name: string, apiUsers: string[]): string {
  const users = apiUsers.length ? `; API devices ${listNames(apiUsers)} poll with it again` : '';
  return `inventory: warning: credential profile ${name} left the config file: the API-created profile of that name is used again${users}`;
}

/** the poll profiles `d` names (its list and its interval overrides) that are not `known` */
function unknownProfiles(d: Device, known: ReadonlySet<string>): string[] {
  return [...new Set([...d.profiles, ...Object.keys(d.profileIntervalsMs ?? {})])].filter((p) => !known.has(p));
}

/** why a credential profile cannot be removed: the devices listed that use it, then the hidden API ones */
function inUse(users: string[], hidden: string[]): string {
  const listed = users.length ? `in use by ${listNames(users)}` : '';
  if (!hidden.length) return listed;
  const why = `API devices hidden by a config device of their name use it: ${listNames(hidden)} (they poll with it again once that config device leaves the file)`;
  return listed ? `${listed}; ${why}` : `in use: ${why}`;
}

/** `a, b, c, d, e and 3 more` */
function listNames(names: string[]): string {
  return `${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** where `name` is or would go in a sorted array (the store's ORDER BY name: code-unit order) */
function sortedIndex(sorted: string[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

