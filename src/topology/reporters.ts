/**
 * Who reports a link, per source: a link LLDP reports on one side and CDP or OSPF on the other
 * is one link with a reporter for each. Merged with the last run's reporters (pure):
 * - reported this run: `lastSeen` is now;
 * - not read this run (the device was unreachable, or a table the source needs failed): kept
 *   with its old `lastSeen`, marked `stale`, as its report is unknown, not gone;
 * - read and silent: dropped, so the link loses that source but stays while another reports it.
 * A link nobody reports this run is `stale` when every reporter it had was not read (an
 * inferred link: any of them, as inference needs both sides' tables), else `down`.
 */
import type { LinkSource } from './graph.ts';

export interface LinkReporter {
  source: LinkSource;
  /** the managed device whose tables reported the link */
  device: string;
  /** when this device last reported the link by this source (ms) */
  lastSeen: number;
  /** not read this run: kept from an earlier one */
  stale?: boolean;
}

export interface ReporterMerge {
  now: number;
  /** the reporters of this run */
  current: { source: LinkSource; device: string }[];
  /** the last run's reporters of the link */
  previous: LinkReporter[];
  inferred: boolean;
  /** true when `device` could not read what `source` needs this run */
  unread(device: string, source: LinkSource): boolean;
}

export type LinkState = 'up' | 'stale' | 'down';

export function mergeReporters(m: ReporterMerge): { state: LinkState; reporters: LinkReporter[] } {
  const key = (r: { source: string; device: string }) => `${r.source}\u0000${r.device}`;
  const out = new Map<string, LinkReporter>();
  for (const r of m.current) out.set(key(r), { source: r.source, device: r.device, lastSeen: m.now });
  if (out.size > 0) {
    for (const p of m.previous) {
      if (!out.has(key(p)) && m.unread(p.device, p.source)) out.set(key(p), { source: p.source, device: p.device, lastSeen: p.lastSeen, stale: true });
    }
    return { state: 'up', reporters: sorted(out) };
  }
  const unread = m.previous.filter((p) => m.unread(p.device, p.source));
  const stale = unread.length > 0 && (m.inferred || unread.length === m.previous.length);
  if (!stale) return { state: 'down', reporters: [] };
  for (const p of m.previous) if (!out.has(key(p))) out.set(key(p), { source: p.source, device: p.device, lastSeen: p.lastSeen, stale: true });
  return { state: 'stale', reporters: sorted(out) };
}

/** A link's reporters; a link saved before they were kept gets one per device and source it lists. */
export function reportersOf(l: { reporters?: LinkReporter[]; reportedBy: string[]; sources: LinkSource[]; lastSeen: number }): LinkReporter[] {
  if (l.reporters) return l.reporters;
  return l.reportedBy.flatMap((device) => l.sources.map((source) => ({ source, device, lastSeen: l.lastSeen })));
}

/** A device read the link by `source` in the run that made it: neither the link nor that reporter is stale. */
export function readBy(l: Parameters<typeof reportersOf>[0] & { stale?: boolean }, source: LinkSource): boolean {
  return !l.stale && reportersOf(l).some((r) => r.source === source && !r.stale);
}

/** The reporters of several last-run links that are one link now: each source and device once, at its latest. */
export function combinedReporters(links: Parameters<typeof reportersOf>[0][]): LinkReporter[] {
  const out = new Map<string, LinkReporter>();
  for (const l of links) {
    for (const r of reportersOf(l)) {
      const k = `${r.source}\u0000${r.device}`;
      const cur = out.get(k);
      if (!cur || r.lastSeen > cur.lastSeen) out.set(k, r);
    }
  }
  return [...out.values()];
}

/** by source, then device */
export function byReporter(x: LinkReporter, y: LinkReporter): number {
  if (x.source !== y.source) return x.source < y.source ? -1 : 1;
  return x.device < y.device ? -1 : x.device > y.device ? 1 : 0;
}

function sorted(m: Map<string, LinkReporter>): LinkReporter[] {
  return [...m.values()].sort(byReporter);
}
