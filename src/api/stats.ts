import type { DeviceView } from './services.ts';

export interface StateSplit {
  count: number;
  /** state up: polling fine */
  ok: number;
  /** down, snmp-unreachable, auth-failed */
  failing: number;
  /** not polled yet */
  unknown: number;
}

export interface VersionStats {
  total: StateSplit;
  v1: StateSplit;
  v2c: StateSplit;
  v3: StateSplit & {
    byLevel: Record<string, StateSplit>;
    byAuthProtocol: Record<string, StateSplit>;
    byPrivProtocol: Record<string, StateSplit>;
  };
  /** devices whose credential profile is missing */
  unresolved: StateSplit;
}

const split = (): StateSplit => ({ count: 0, ok: 0, failing: 0, unknown: 0 });

function add(s: StateSplit, d: DeviceView): void {
  s.count++;
  if (d.status.state === 'up') s.ok++;
  else if (d.status.state === 'unknown') s.unknown++;
  else s.failing++;
}

function addTo(map: Record<string, StateSplit>, key: string, d: DeviceView): void {
  add((map[key] ??= split()), d);
}

/** The "SNMP versions and their counts" panel: per version, v3 further by level and protocols, each split by state. */
export function snmpVersionStats(devices: readonly DeviceView[]): VersionStats {
  const s: VersionStats = {
    total: split(), v1: split(), v2c: split(),
    v3: { ...split(), byLevel: {}, byAuthProtocol: {}, byPrivProtocol: {} },
    unresolved: split(),
  };
  for (const d of devices) {
    add(s.total, d);
    const c = d.snmp;
    if (!c) add(s.unresolved, d);
    else if (c.version === '1') add(s.v1, d);
    else if (c.version === '2c') add(s.v2c, d);
    else {
      add(s.v3, d);
      addTo(s.v3.byLevel, c.level ?? 'unknown', d);
      if (c.level !== 'noAuthNoPriv') addTo(s.v3.byAuthProtocol, c.authProtocol ?? 'unknown', d);
      if (c.level === 'authPriv') addTo(s.v3.byPrivProtocol, c.privProtocol ?? 'unknown', d);
    }
  }
  return s;
}
