/** Polls one device once: SNMP probe (system group), the job's profiles, ICMP; decides the state. */
import type { ResolvedDevice } from '../model/device.ts';
import type { DeviceState } from '../model/device.ts';
import type { SnmpVersion } from '../model/credentials.ts';
import type { Sample } from '../model/sample.ts';
import type { SnmpClient, SnmpTarget, TableRow, Varbind, WalkOptions } from '../snmp/types.ts';
import type { IcmpResult } from '../icmp/types.ts';
import { icmpSample } from '../icmp/samples.ts';
import { NetpulseError, errorMessage } from '../errors/index.ts';
import { SYSTEM_OIDS, type CounterMemory, type FetchContext, type FetchedData, type PollCounts, type ProfileDefinition, type ProfileRegistry } from './profiles/index.ts';
import type { InterfaceFilter } from '../model/interface-filter.ts';
import { interfaceSelector } from './interface-filter.ts';
import { systemProfile } from './profiles/system.ts';
import type { CounterStore } from './counter-memory.ts';
import { decideState } from './state.ts';
import { asNumber } from './values.ts';

export interface SnmpSettings {
  timeoutMs: number;
  retries: number;
  maxRepetitions: number;
}

export interface DevicePollDeps {
  snmp: SnmpClient;
  /** per-host ICMP check (an IcmpBatcher); absent = no ICMP */
  icmp?: { check(host: string): Promise<IcmpResult> };
  profiles: ProfileRegistry;
  counters: CounterStore;
  snmpSettings: SnmpSettings;
  /** guard rails for table walks */
  walkLimits?: WalkOptions;
  /** for devices without their own `interfaces` filter (defaults.interfaces) */
  interfaceFilter?: InterfaceFilter;
  /** wall clock, ms since the epoch: sample timestamps */
  now?: () => number;
  /** monotonic clock, ms: durations and counter/uptime deltas (default performance.now) */
  clock?: () => number;
}

export interface DevicePollResult {
  device: string;
  address: string;
  version: SnmpVersion;
  /** `unknown` when lookupBusy */
  state: DeviceState;
  /** the poll decided nothing: SNMP's agent name waited too long for a lookup slot (ICMP off or not checked): the device keeps its previous state */
  lookupBusy?: true;
  /** the first error that decided the state, or the first profile error; undefined when clean */
  error: string | undefined;
  /** every error of this poll, one line each */
  errors: string[];
  at: number;
  durationMs: number;
  samples: Sample[];
  icmp: IcmpResult | undefined;
  /** the agent restarted since the previous poll (rates were skipped) */
  restarted: boolean;
  /** interfaces the interface filter left out; undefined when no filter applied */
  interfacesFiltered: number | undefined;
}

const STOP_KINDS = new Set(['timeout', 'auth']);

function kindOf(err: unknown): string {
  return err instanceof NetpulseError ? err.kind : 'error';
}

export function targetOf(dev: ResolvedDevice, s: SnmpSettings): SnmpTarget {
  return { address: dev.address, port: dev.port, credential: dev.credential, timeoutMs: s.timeoutMs, retries: s.retries, maxRepetitions: s.maxRepetitions };
}

/** GETs scalars in one PDU; on a non-fatal error (v1 noSuchName, tooBig) retries them one by one and keeps what answers. */
async function getScalars(client: SnmpClient, target: SnmpTarget, profile: ProfileDefinition, errors: string[]): Promise<Map<string, Varbind>> {
  const out = new Map<string, Varbind>();
  const scalars = profile.profile.scalars;
  if (scalars.length === 0) return out;
  const byOid = new Map(scalars.map((s) => [s.oid, s.name]));
  const keep = (vbs: Varbind[]) => { for (const vb of vbs) { const n = byOid.get(vb.oid); if (n) out.set(n, vb); } };
  try {
    keep(await client.get(target, scalars.map((s) => s.oid)));
    return out;
  } catch (err) {
    if (STOP_KINDS.has(kindOf(err)) || scalars.length === 1) throw err;
  }
  for (const s of scalars) {
    try {
      keep(await client.get(target, [s.oid]));
    } catch (err) {
      if (STOP_KINDS.has(kindOf(err))) throw err;
      errors.push(`${profile.profile.name}.${s.name}: ${errorMessage(err)}`);
    }
  }
  return out;
}

async function fetchProfile(deps: DevicePollDeps, target: SnmpTarget, def: ProfileDefinition, memory: CounterMemory, fetchCtx: FetchContext, errors: string[]): Promise<FetchedData> {
  const scalars = await getScalars(deps.snmp, target, def, errors);
  const tables = new Map<string, TableRow[]>();
  for (const t of def.profile.tables) {
    const columns = def.columnsToFetch?.(t, memory, fetchCtx) ?? t.columns;
    try {
      tables.set(t.name, columns.length === 0 ? [] : await deps.snmp.table(target, columns.map((c) => c.oid), deps.walkLimits));
    } catch (err) {
      if (STOP_KINDS.has(kindOf(err))) throw err;
      const optional = def.optionalTables?.includes(t.name) && kindOf(err) === 'protocol';
      // an optional table this agent was seen to have failed: half a reading would cost baselines and series
      if (optional && def.expectsTable?.(t, memory)) throw err;
      if (!optional) errors.push(errorMessage(err));
    }
  }
  return { scalars, tables };
}

function selectorOf(dev: ResolvedDevice, deps: DevicePollDeps) {
  try {
    return interfaceSelector(dev.interfaces ?? deps.interfaceFilter);
  } catch (err) {
    throw new NetpulseError({ scope: 'poller', target: `device ${dev.name}`, action: 'interface filter', reason: errorMessage(err), kind: 'config' });
  }
}

/** the interval of the job polling these profiles (the slowest of them, should they differ) */
function jobIntervalMs(dev: ResolvedDevice, profileNames: readonly string[]): number {
  return Math.max(...profileNames.map((p) => dev.profileIntervalsMs?.[p] ?? dev.intervalMs));
}

/** The profiles other than `system` (answered by the probe), in order; a timeout or auth error stops them. */
async function pollProfiles(
  dev: ResolvedDevice, profileNames: readonly string[], deps: DevicePollDeps, target: SnmpTarget, memory: CounterMemory,
  out: { samples: Sample[]; errors: string[]; counts: PollCounts }, clocks: { now: () => number; clock: () => number },
): Promise<void> {
  for (const name of profileNames) {
    if (name === 'system') continue;
    const def = deps.profiles.get(name);
    if (!def) {
      out.errors.push(`poller: device ${dev.name}: unknown poll profile "${name}"`);
      continue;
    }
    const time = clocks.now();
    const readAt = clocks.clock();
    try {
      const interfaces = name === 'interfaces' ? selectorOf(dev, deps) : undefined;
      const data = await fetchProfile(deps, target, def, memory, { interfaces }, out.errors);
      out.samples.push(...def.toSamples(data, { device: dev.name, time, readAt, memory, interfaces, counts: out.counts }));
    } catch (err) {
      out.errors.push(errorMessage(err));
      if (STOP_KINDS.has(kindOf(err))) break;
    }
  }
}

/**
 * One poll of one device. Never rejects: SNMP and ICMP failures become the state and the
 * error text. The probe GET of the system group comes first; when it fails the profiles are skipped.
 * `onSnmpDone` fires when the SNMP part is over (the ICMP batch may still be out).
 */
export async function pollDevice(
  dev: ResolvedDevice,
  profileNames: readonly string[],
  deps: DevicePollDeps,
  opts: { icmp: boolean; onSnmpDone?: () => void } = { icmp: true },
): Promise<DevicePollResult> {
  const now = deps.now ?? Date.now;
  const clock = deps.clock ?? (() => performance.now());
  const started = now();
  const startedMono = clock();
  const counters = deps.counters.device(dev.name);
  const errors: string[] = [];
  const samples: Sample[] = [];
  const icmpPromise = opts.icmp && dev.icmp && deps.icmp ? deps.icmp.check(dev.address) : undefined;
  const target = targetOf(dev, deps.snmpSettings);
  let snmpErrorKind: string | undefined;
  let restarted = false;
  const counts: PollCounts = {};
  try {
    const probeAt = now();
    const vbs = await deps.snmp.get(target, Object.values(SYSTEM_OIDS));
    const answeredAt = clock();
    const sys: FetchedData = { scalars: new Map(), tables: new Map() };
    for (const [name, oid] of Object.entries(SYSTEM_OIDS)) {
      const vb = vbs.find((v) => v.oid === oid);
      if (vb) sys.scalars.set(name, vb);
    }
    const ticks = asNumber(sys.scalars.get('sysUpTime'));
    if (ticks !== undefined) restarted = counters.observeUptime({ ticks, at: answeredAt });
    // a run without profiles (Poller.expedite) remembers nothing and must not age what others remember
    if (profileNames.length > 0) {
      const memory = counters.memory(jobIntervalMs(dev, profileNames));
      if (profileNames.includes('system')) samples.push(...systemProfile.toSamples(sys, { device: dev.name, time: probeAt, memory }));
      await pollProfiles(dev, profileNames, deps, target, memory, { samples, errors, counts }, { now, clock });
    }
  } catch (err) {
    snmpErrorKind = kindOf(err);
    errors.unshift(errorMessage(err));
  }
  opts.onSnmpDone?.();
  let icmp: IcmpResult | undefined;
  if (icmpPromise) {
    icmp = await icmpPromise;
    // a name that waited too long for a lookup slot was not pinged, a probe cut short by a stop
    // was not pinged to the end: no sample claiming it down
    if (!icmp.lookupBusy && !icmp.cancelled) samples.push(icmpSample(dev.name, icmp, started));
    if (icmp.error && !icmp.up) errors.push(icmp.error);
  }
  const icmpUp = icmp === undefined || (icmp.error !== undefined && icmp.sent === 0) ? undefined : icmp.up;
  const state = decideState({ icmpUp, snmpErrorKind });
  return {
    device: dev.name, address: dev.address, version: dev.credential.version, state: state ?? 'unknown',
    ...(state === undefined ? { lookupBusy: true as const } : {}),
    error: errors[0], errors, at: started, durationMs: clock() - startedMono, samples, icmp, restarted,
    interfacesFiltered: counts.interfacesFiltered,
  };
}
