/**
 * Whether an unmanaged neighbour of the last run and one of this run are one box seen by the
 * other protocol (pure): `lldp:<chassis>` and `cdp:<host>`, as LLDP stops or starts on a box
 * speaking both. The evidence is what each node kept of its reports: a CDP device ID that is the
 * LLDP chassis ID (a MAC) settles it; else the LLDP sysName and the CDP device ID's name, and
 * the management addresses, must agree where both sides give one (addresses of one family), and
 * one of them must be given on both sides. Two nodes of one protocol are never one box here
 * (LLDP's chassis ID names the box; CDP's node is its name or address).
 */
import type { TopoNode } from './graph.ts';
import { shortName } from './normalize.ts';

type Verdict = 'same' | 'other' | 'unknown';

export function sameUnmanagedBox(before: TopoNode, now: TopoNode): boolean {
  if (before.managed || now.managed) return false;
  const lldp = [before, now].find((n) => n.id.startsWith('lldp:'));
  const cdp = [before, now].find((n) => n.id.startsWith('cdp:'));
  if (!lldp || !cdp) return false;
  if (cdp.sysName && lldp.chassisId && cdp.sysName.trim().toLowerCase() === lldp.chassisId.toLowerCase()) return true;
  const verdicts = [names(lldp.sysName, cdp.sysName), addresses(lldp.address, cdp.address)];
  return verdicts.includes('same') && !verdicts.includes('other');
}

/** the full names, else the host parts when the domains do not contradict ("lab" is "lab.example.net") */
function names(x: string | undefined, y: string | undefined): Verdict {
  if (!x?.trim() || !y?.trim()) return 'unknown';
  const a = x.trim().toLowerCase(), b = y.trim().toLowerCase();
  if (a === b) return 'same';
  if (shortName(a) !== shortName(b)) return 'other';
  const da = domainOf(a), db = domainOf(b);
  return !da || !db || da.startsWith(`${db}.`) || db.startsWith(`${da}.`) ? 'same' : 'other';
}

function domainOf(name: string): string {
  const dot = name.indexOf('.');
  return /^\d+\.\d+\.\d+\.\d+$/.test(name) || dot < 0 ? '' : name.slice(dot + 1);
}

/** an IPv6 and an IPv4 address say nothing of each other (a node keeps one of its addresses) */
function addresses(x: string | undefined, y: string | undefined): Verdict {
  if (!x || !y || x.includes(':') !== y.includes(':')) return 'unknown';
  return x.toLowerCase() === y.toLowerCase() ? 'same' : 'other';
}
