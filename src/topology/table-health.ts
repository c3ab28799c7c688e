/**
 * Which link sources a device could not fully read this run: all of them when it was
 * unreachable, else those whose tables failed (a failed ifTable or lldpLocPortTable leaves its
 * port names unknown, so the links of those sources are unknown too).
 */
import type { LinkSource as Source } from './graph.ts';
import type { DeviceReport } from './report.ts';

const TABLES: Record<Source, string[]> = {
  lldp: ['ifTable', 'lldpLocPortTable', 'lldpRemTable'],
  cdp: ['ifTable', 'cdpCacheTable'],
  fdb: ['ifTable', 'dot1dBasePortTable', 'dot1qTpFdbTable', 'dot1dTpFdbTable'],
  arp: ['ipNetToPhysicalTable', 'ipNetToMediaTable'],
  ospf: ['ifTable', 'ospfNbrTable', 'ipAddrTable', 'ipAddressTable'],
};

export function blindSources(r: DeviceReport): Set<Source> {
  if (r.unreachable) return new Set(Object.keys(TABLES) as Source[]);
  const failed = new Set(r.failedTables ?? []);
  return new Set((Object.keys(TABLES) as Source[]).filter((s) => TABLES[s].some((t) => failed.has(t))));
}

/** True when the device's own port names are unknown this run (its ifTable or the whole device failed). */
export function portsUnknown(r: DeviceReport): boolean {
  return !!r.unreachable || (r.failedTables ?? []).includes('ifTable');
}
