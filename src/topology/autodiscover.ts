/**
 * Finding devices that are not managed yet:
 * - `crawl`: follows the management addresses neighbours advertise (LLDP man-addr, CDP address)
 *   inside the configured subnets, breadth first, reading each new device's neighbour tables in turn;
 * - `sweep`: pings every host of the configured subnets (fping batches, src/icmp), then probes the
 *   ones that answer for sysObjectID/sysName with each credential profile, v3 first, then v2c, v1.
 * Found devices come back with the version and credential profile that answered; adding them is
 * the caller's business.
 */
import type { IcmpChecker } from '../icmp/types.ts';
import type { Credential, SnmpVersion } from '../model/credentials.ts';
import { deviceNameKey } from '../model/device-name.ts';
import { errorMessage, NetpulseError } from '../errors/index.ts';
import type { SnmpClient, SnmpTarget } from '../snmp/types.ts';
import { hostRanges, inAnyCidr, intToIpv4, isHostOf, parseCidr, type Cidr } from './cidr.ts';
import { collectDevice } from './collect.ts';
import { octetText, shortName } from './normalize.ts';
import { compareStrings } from './order.ts';
import type { DeviceReport } from './report.ts';

export const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
export const SYS_NAME = '1.3.6.1.2.1.1.5.0';
/** sweeps of more addresses in all than a block of this prefix holds run only with allowLarge */
export const LARGEST_SWEEP_PREFIX = 16;
export const MAX_SWEEP_ADDRESSES = 2 ** (32 - LARGEST_SWEEP_PREFIX) - 2;
/** addresses pinged (then probed) at a time: a large sweep never holds all of them */
export const SWEEP_BATCH = 65_536;

export interface ProbeProfile {
  /** credential profile name from the config */
  name: string;
  credential: Credential;
}

export interface ProbeOptions {
  /** UDP port probed on every address; default 161 */
  port?: number;
  timeoutMs?: number;
  retries?: number;
  /** GETBULK size for reading found devices' tables (crawl) */
  maxRepetitions?: number;
  /** addresses probed at once */
  concurrency?: number;
  /** device names already in use: a found device whose sysName clashes is named `<name>-<address>` */
  knownNames?: Iterable<string>;
}

export interface FoundDevice {
  /** suggested device name, valid in the config (see `deviceNameFor`) */
  name: string;
  address: string;
  port: number;
  version: SnmpVersion;
  /** the credential profile that answered */
  credentials: string;
  sysName?: string;
  sysObjectID?: string;
  via: 'crawl' | 'sweep';
  /** crawl: the device whose neighbour table advertised the address, by its final name */
  seenFrom?: string;
}

export interface ProbeFailure {
  address: string;
  /** why no profile answered, one clause per profile tried */
  reason: string;
}

const VERSION_ORDER: Record<SnmpVersion, number> = { '3': 0, '2c': 1, '1': 2 };

/** Profiles in the order they are tried: v3, then v2c, then v1 (config order within a version). */
export function orderProfiles(profiles: ProbeProfile[]): ProbeProfile[] {
  return profiles.map((p, i) => ({ p, i }))
    .sort((x, y) => VERSION_ORDER[x.p.credential.version] - VERSION_ORDER[y.p.credential.version] || x.i - y.i)
    .map((x) => x.p);
}

/** The config's credential profiles (all, or the named ones) as probe profiles; unknown names throw. */
export function probeProfiles(credentials: Record<string, Credential>, names?: string[]): ProbeProfile[] {
  const wanted = names ?? Object.keys(credentials);
  const unknown = wanted.filter((n) => !credentials[n]);
  if (unknown.length) throw new Error(`topology: probe.credentials: unknown credential profile ${unknown.map((n) => `"${n}"`).join(', ')}`);
  return orderProfiles(wanted.map((name) => ({ name, credential: credentials[name] })));
}

function targetFor(address: string, credential: Credential, o: ProbeOptions): SnmpTarget {
  return { address, port: o.port ?? 161, credential, timeoutMs: o.timeoutMs ?? 1000, retries: o.retries ?? 0, maxRepetitions: o.maxRepetitions ?? 25 };
}

/**
 * Asks one address for sysObjectID and sysName with each profile in turn. After a v3 timeout the
 * other v3 profiles are skipped: an agent that speaks v3 answers engine discovery whatever the user,
 * so silence means no v3 there (a wrong user or key is an `auth` error, and the next profile is tried).
 */
export async function probeAgent(client: SnmpClient, address: string, profiles: ProbeProfile[], o: ProbeOptions = {}, via: FoundDevice['via'] = 'sweep'): Promise<FoundDevice | ProbeFailure> {
  const tried: string[] = [];
  let v3Silent = false;
  for (const p of orderProfiles(profiles)) {
    const version = p.credential.version;
    if (version === '3' && v3Silent) continue;
    try {
      const vbs = await client.get(targetFor(address, p.credential, o), [SYS_OBJECT_ID, SYS_NAME]);
      const oidVb = vbs.find((v) => v.oid === SYS_OBJECT_ID);
      const nameVb = vbs.find((v) => v.oid === SYS_NAME);
      const sysObjectID = typeof oidVb?.value === 'string' ? oidVb.value : undefined;
      const sysName = nameVb && nameVb.value !== null ? octetText(nameVb.value) : undefined;
      return {
        name: deviceNameFor(sysName, address), address, port: o.port ?? 161, version, credentials: p.name,
        sysName, sysObjectID, via,
      };
    } catch (err) {
      const kind = err instanceof NetpulseError ? err.kind : 'error';
      if (version === '3' && kind === 'timeout') v3Silent = true;
      tried.push(`v${version} "${p.name}": ${err instanceof NetpulseError ? err.reason : errorMessage(err)}`);
    }
  }
  return { address, reason: tried.length ? tried.join('; ') : 'no credential profile to try' };
}

/**
 * A device name that passes src/model's rule (DEVICE_NAME_RE) from a sysName: its host part in
 * lower case, accents dropped, each run of characters outside the rule made one `-` (and runs of
 * `-` one), cut to the longest name, trimmed to start with a letter or digit and not end in `-`;
 * the address (validName) when nothing is left. `Core Switch 1.example.net` gives `core-switch-1`.
 */
export function deviceNameFor(sysName: string | undefined, address: string): string {
  const base = sysName ? shortName(sysName).normalize('NFKD').replace(/\p{M}+/gu, '') : '';
  return nameFrom(base) || validName(address);
}

/** DEVICE_NAME_RE's longest name */
const DEVICE_NAME_MAX = 128;

function nameFrom(s: string): string {
  return cut(s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[^A-Za-z0-9]+/, ''), DEVICE_NAME_MAX);
}

/**
 * An address as a device name: `:` (IPv6) and any other character outside the rule made `-`,
 * one for one so that `::` stays `--`; a leading or trailing `:` gets a `0` (`::1` → `0--1`).
 */
function validName(address: string, max = DEVICE_NAME_MAX): string {
  const name = address.replace(/^:/, '0:').replace(/:$/, ':0').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, max).replace(/^[^A-Za-z0-9]+/, '');
  return name || 'device';
}

const isFound = (x: FoundDevice | ProbeFailure): x is FoundDevice => 'version' in x;

/** a valid name cut to `max` characters, still valid (it keeps its first) */
const cut = (name: string, max: number) => name.slice(0, max).replace(/-+$/, '');

/** Found devices get distinct names, none of them already in use. */
function nameUniquely(found: FoundDevice[], knownNames: Iterable<string> = []): FoundDevice[] {
  const taken = new Set([...knownNames].map(deviceNameKey));
  for (const f of found) {
    if (taken.has(deviceNameKey(f.name))) {
      const suffix = `-${validName(f.address, 64)}`;
      const base = `${cut(f.name, DEVICE_NAME_MAX - suffix.length)}${suffix}`;
      f.name = base;
      for (let n = 2; taken.has(deviceNameKey(f.name)); n++) f.name = `${cut(base, DEVICE_NAME_MAX - String(n).length - 1)}-${n}`;
    }
    taken.add(deviceNameKey(f.name));
  }
  return found;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

export interface SweepOptions extends ProbeOptions {
  client: SnmpClient;
  /** ICMP first when given (one fping batch); without it every address is probed over SNMP */
  icmp?: IcmpChecker;
  subnets: string[];
  profiles: ProbeProfile[];
  /** sweep more addresses in all than a /16 holds */
  allowLarge?: boolean;
  /** addresses not probed (already managed) */
  known?: Iterable<string>;
  /** ms to wait for each echo reply; default 500 */
  icmpTimeoutMs?: number;
}

export interface SweepResult {
  found: FoundDevice[];
  /** host addresses in the subnets */
  swept: number;
  /** addresses that answered ICMP (all of them when ICMP was not used) */
  alive: number;
  /** alive addresses no profile could read */
  failed: ProbeFailure[];
  durationMs: number;
}

/** The sweep's host addresses: how many, and each in turn (never all of them in memory). */
export interface SweepAddresses extends Iterable<string> {
  count: number;
}

/**
 * The union of the subnets' host addresses, in address order, refusing more in all than a /16
 * holds unless allowLarge.
 */
export function sweepAddresses(subnets: string[], allowLarge = false): SweepAddresses {
  const blocks = subnets.map((s) => {
    try {
      return parseCidr(s);
    } catch (err) {
      throw new Error(`topology: sweep: ${errorMessage(err)}`);
    }
  });
  const ranges = hostRanges(blocks);
  const count = ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0);
  if (count > MAX_SWEEP_ADDRESSES && !allowLarge) {
    throw new Error(`topology: sweep ${subnets.join(', ')}: ${count} addresses${blocks.length > 1 ? ' in all' : ''} is more than a /${LARGEST_SWEEP_PREFIX}; set allowLarge (--allow-large) to sweep it anyway`);
  }
  return {
    count,
    *[Symbol.iterator]() {
      for (const [first, last] of ranges) for (let n = first; n <= last; n++) yield intToIpv4(n);
    },
  };
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

export async function sweep(o: SweepOptions): Promise<SweepResult> {
  const started = Date.now();
  const known = new Set(o.known ?? []);
  const addresses = sweepAddresses(o.subnets, o.allowLarge);
  let alive = 0;
  const found: FoundDevice[] = [];
  const failed: ProbeFailure[] = [];
  for (const batch of batches(addresses, SWEEP_BATCH)) {
    let up = batch;
    if (o.icmp) {
      const results = await o.icmp.check(batch, { count: 1, timeoutMs: o.icmpTimeoutMs ?? 500, periodMs: 20, sendIntervalMs: 1 });
      up = batch.filter((a) => results.get(a)?.up);
    }
    alive += up.length;
    await pool(up.filter((a) => !known.has(a)), o.concurrency ?? 64, async (address) => {
      const r = await probeAgent(o.client, address, o.profiles, o);
      if (isFound(r)) found.push(r);
      else failed.push(r);
    });
  }
  const byAddress = (x: { address: string }, y: { address: string }) => compareIp(x.address, y.address);
  return { found: nameUniquely(found.sort(byAddress), o.knownNames), swept: addresses.count, alive, failed: failed.sort(byAddress), durationMs: Date.now() - started };
}

export interface CrawlOptions extends ProbeOptions {
  client: SnmpClient;
  /** only addresses inside these blocks are followed */
  subnets: string[];
  /** stop after finding this many devices */
  maxDevices: number;
  profiles: ProbeProfile[];
  /** the managed devices' reports: their neighbours are where the crawl starts */
  reports: DeviceReport[];
  /** addresses of managed devices (besides those in the reports), never probed */
  known?: Iterable<string>;
}

export interface CrawlResult {
  found: FoundDevice[];
  /** the found devices' own reports (their neighbours were followed too) */
  reports: DeviceReport[];
  failed: ProbeFailure[];
  /** advertised addresses outside the subnets, not followed */
  outOfScope: string[];
  /** maxDevices was reached with addresses left to follow */
  capped: boolean;
  durationMs: number;
}

export async function crawl(o: CrawlOptions): Promise<CrawlResult> {
  const started = Date.now();
  const blocks: Cidr[] = o.subnets.map((s) => {
    try {
      return parseCidr(s);
    } catch (err) {
      throw new Error(`topology: crawl.subnets: ${errorMessage(err)}`);
    }
  });
  const visited = new Set<string>(o.known ?? []);
  const chassis = new Set<string>();
  const remember = (r: DeviceReport) => {
    visited.add(r.address);
    for (const a of r.addresses) visited.add(a.ip);
    if (r.chassisId) chassis.add(r.chassisId.toLowerCase());
  };
  o.reports.forEach(remember);

  const outOfScope = new Set<string>();
  const found: FoundDevice[] = [];
  const reports: DeviceReport[] = [];
  const failed: ProbeFailure[] = [];
  let capped = false;

  // `from` is the advertising device's report: its name may still change (nameUniquely, below)
  type Candidate = { address: string; from: DeviceReport };
  const seenFrom: DeviceReport[] = [];
  const advertised = (r: DeviceReport): Candidate[] => [
    ...r.lldp.flatMap((n) => n.managementAddresses.map((address) => ({ address, from: r }))),
    ...r.cdp.flatMap((n) => (n.address ? [{ address: n.address, from: r }] : [])),
  ];
  let wave = o.reports.flatMap(advertised);
  while (wave.length > 0) {
    const next: Candidate[] = [];
    const todo: Candidate[] = [];
    for (const c of wave) {
      if (visited.has(c.address)) continue;
      visited.add(c.address);
      if (!inAnyCidr(blocks, c.address)) outOfScope.add(c.address);
      // as the sweep: a block's network and broadcast addresses are not probed
      else if (blocks.some((b) => isHostOf(b, c.address))) todo.push(c);
    }
    await pool(todo, o.concurrency ?? 32, async (c) => {
      if (found.length >= o.maxDevices) {
        capped = true;
        return;
      }
      const r = await probeAgent(o.client, c.address, o.profiles, o, 'crawl');
      if (!isFound(r)) {
        failed.push(r);
        return;
      }
      const profile = o.profiles.find((p) => p.name === r.credentials)!;
      // it answered: read its tables with at least 1 s and one retry, whatever the probe's haste
      const report = await collectDevice(o.client, r.name, targetFor(c.address, profile.credential, {
        ...o, timeoutMs: Math.max(o.timeoutMs ?? 1000, 1000), retries: Math.max(o.retries ?? 0, 1),
      }));
      // the same device reached through another of its addresses: keep the first
      if (report.chassisId && chassis.has(report.chassisId.toLowerCase())) return;
      if (found.length >= o.maxDevices) {
        capped = true;
        return;
      }
      remember(report);
      found.push(r);
      seenFrom.push(c.from);
      reports.push(report);
      next.push(...advertised(report));
    });
    wave = next;
  }
  nameUniquely(found, [...(o.knownNames ?? []), ...o.reports.map((r) => r.device)]);
  for (const [i, f] of found.entries()) reports[i].device = f.name;
  for (const [i, f] of found.entries()) f.seenFrom = seenFrom[i].device;
  return { found, reports, failed, outOfScope: [...outOfScope].sort(compareIp), capped, durationMs: Date.now() - started };
}

function compareIp(a: string, b: string): number {
  const x = a.split('.').map(Number), y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return compareStrings(a, b);
}
