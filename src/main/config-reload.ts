/**
 * `netpulse start`'s config reload (SIGHUP): re-reads the file with start-up's loader, keeps
 * the running config when it is invalid, applies what can change live (devices, credential
 * profiles, config trap rules, maintenance windows, poll profiles, notification channels and
 * routes) and names each setting that only a restart applies. Only paths and names are logged,
 * never values: a changed setting may hold a secret.
 */
import { loadConfig } from '../config/load.ts';
import type { NetpulseConfig } from '../config/types.ts';
import { ConfigError, errorMessage } from '../errors/index.ts';
import type { NotificationsConfig } from '../alerts/notify/schema.ts';
import type { NotifierChange } from '../alerts/notify/notifier.ts';
import type { ProfilesChange } from '../poller/runtime.ts';
import type { Inventory } from './inventory.ts';
import { maintenanceShadowWarning, type MaintenanceWindows } from './maintenance.ts';
import type { RulesEngine } from './rules.ts';

/**
 * what one reload did; `ok: false` when the file could not be read, is invalid or would change
 * the credential profile API devices poll with (Inventory.reloadProblems): nothing changed
 */
export interface ReloadResult {
  ok: boolean;
  /** the file's problems (`devices[2].credentials: ...`, `credentials.core: ...`), when not ok */
  problems: string[];
  devices: { added: string[]; changed: string[]; removed: string[] };
  rules: { added: string[]; changed: string[]; removed: string[] };
  maintenance: { added: string[]; changed: string[]; removed: string[] };
  /** user poll profiles (built-ins never change) */
  profiles: { added: string[]; changed: string[]; removed: string[] };
  /** notification channels; `routes` when the route list changed */
  channels: { added: string[]; changed: string[]; removed: string[]; routes?: boolean };
  /** settings that differ from the running ones and wait for a restart (`api.listen`) */
  restartOnly: string[];
}

/** the parts of the runtime a reload swaps */
export interface ReloadTargets {
  inventory: Inventory;
  rules: RulesEngine;
  maintenance: MaintenanceWindows;
  /** swaps the poller's user profile definitions (PollerRuntime.setProfiles) */
  setProfiles(profiles: NetpulseConfig['profiles']): ProfilesChange;
  /** swaps notification channels and routes (Notifier.reconfigure) */
  setNotifications(notifications: NotificationsConfig): NotifierChange;
}

/** sections whose every key waits for a restart; keys are compared one by one so the log names them */
const RESTART_SECTIONS = ['api', 'storage', 'topology', 'alerts', 'mibUpload'] as const;
/** top-level settings that wait for a restart */
const RESTART_KEYS = ['dataDir', 'mibDirs', 'mibWarmup'] as const;
/** traps keys applied live; every other traps key (listen, communities, users, ...) waits for a restart */
const LIVE_TRAP_KEYS = new Set(['rules', 'defaultRules']);
/** defaults applied live: they are resolved into each config device (interval, profiles, icmp on/off) */
const LIVE_DEFAULT_KEYS = new Set(['intervalMs', 'profiles', 'icmp']);
const LIVE_ICMP_KEYS = new Set(['enabled']);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** the file's key for a resolved one: `timeoutMs` → `timeout`, `parentHoldMs` → `parentHold` */
const fileKey = (key: string) => key.replace(/Ms$/, '');

function changedKeys(prefix: string, a: object | undefined, b: object | undefined, skip = new Set<string>()): string[] {
  if (a === undefined || b === undefined) return a === b ? [] : [prefix];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => !skip.has(k));
  return keys.filter((k) => !same(ra[k], rb[k])).map((k) => `${prefix}.${fileKey(k)}`);
}

/** The settings of `next` that differ from the running config and cannot change live, as file paths. */
export function restartOnlyChanges(running: NetpulseConfig, next: NetpulseConfig): string[] {
  const out: string[] = [];
  for (const k of RESTART_KEYS) if (!same(running[k], next[k])) out.push(k);
  for (const s of RESTART_SECTIONS) out.push(...changedKeys(s, running[s], next[s]));
  out.push(...changedKeys('traps', running.traps, next.traps, LIVE_TRAP_KEYS));
  out.push(...changedKeys('defaults', running.defaults, next.defaults, LIVE_DEFAULT_KEYS));
  out.push(...changedKeys('defaults.icmp', running.defaults.icmp, next.defaults.icmp, LIVE_ICMP_KEYS));
  return out;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const triple = (d: { added: string[]; changed: string[]; removed: string[] }) =>
  `${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed`;

/** the one summary line of a reload */
export function reloadSummary(file: string, r: ReloadResult): string {
  if (!r.ok) return `config: reload of ${file} failed: ${count(r.problems.length, 'problem')}; still running on the previous config`;
  const restart = r.restartOnly.length ? `; ${count(r.restartOnly.length, 'setting')} wait for a restart` : '';
  const routes = r.channels.routes ? '; notification routes replaced' : '';
  return `config: reloaded ${file}: devices ${triple(r.devices)}; rules ${triple(r.rules)}; maintenance windows ${triple(r.maintenance)}; ` +
    `profiles ${triple(r.profiles)}; notification channels ${triple(r.channels)}${routes}${restart}`;
}

/**
 * Re-reads `running.file` and applies it to `targets`; logs each problem, each restart-only
 * change and one summary line. Never throws: a failed reload leaves everything as it was.
 */
export function reloadConfig(running: NetpulseConfig, targets: ReloadTargets, log: (line: string) => void): ReloadResult {
  const empty = { added: [], changed: [], removed: [] };
  const result: ReloadResult = { ok: false, problems: [], devices: empty, rules: empty, maintenance: empty, profiles: empty, channels: empty, restartOnly: [] };
  let next: NetpulseConfig;
  try {
    if (!running.file) throw new ConfigError('(none)', ['(top level): netpulse was started without a config file: nothing to re-read']);
    next = loadConfig(running.file);
  } catch (err) {
    result.problems = err instanceof ConfigError ? err.problems : [errorMessage(err)];
    for (const p of result.problems) log(`config: error: ${running.file}: ${p}`);
    log(reloadSummary(running.file, result));
    return result;
  }
  for (const w of next.warnings) log(`config: warning: ${w}`);
  // refused before anything is applied: the profiles below go first
  const refused = targets.inventory.reloadProblems(next);
  if (refused.length) {
    result.problems = refused;
    for (const p of refused) log(`config: error: ${running.file}: ${p}`);
    log(reloadSummary(running.file, result));
    return result;
  }
  result.restartOnly = restartOnlyChanges(running, next);
  for (const path of result.restartOnly) log(`config: ${path}: changed; takes effect after a restart`);
  try {
    // before the devices: a device that names a new profile finds its definition at its first poll
    const profiles = targets.setProfiles(next.profiles);
    result.profiles = { added: profiles.added, changed: profiles.changed, removed: profiles.removed };
    for (const p of profiles.problems) log(`poller: warning: ${p}`);
    if (profiles.devices.length) log(`poller: changed profile definitions reach ${count(profiles.devices.length, 'device')} at their next poll`);
    // config devices cannot name a removed profile (the file's validation refuses it); API devices can, as at start-up
    const removed = new Set(profiles.removed);
    for (const { device, origin } of removed.size ? targets.inventory.devices() : []) {
      const gone = device.profiles.filter((p) => removed.has(p));
      if (origin === 'api' && gone.length) log(`config: warning: device ${device.name} (API): poll profile ${gone.map((p) => `"${p}"`).join(', ')} removed from the file; its polls report it unknown until it is defined again or the device is edited`);
    }
    result.devices = targets.inventory.replaceConfig(next);
    result.rules = targets.rules.setConfigRules(next.traps?.rules ?? [], next.traps?.defaultRules ?? true, next.defaults.intervalMs);
    const windows = targets.maintenance.setConfigWindows(next.maintenance);
    result.maintenance = { added: windows.added, changed: windows.changed, removed: windows.removed };
    for (const name of windows.shadowed) log(maintenanceShadowWarning(name));
    const n = targets.setNotifications(next.notifications);
    result.channels = { added: n.added, changed: n.changed, removed: n.removed, routes: n.routes };
  } catch (err) {
    // e.g. the state store failing while alerts of removed rules are cleared: the parts before it are applied
    result.problems = [errorMessage(err)];
    log(`config: error: ${running.file}: applying the reloaded config: ${errorMessage(err)}; applied in part, reload again once the cause is fixed`);
    return result;
  }
  result.ok = true;
  log(reloadSummary(running.file, result));
  return result;
}
