/**
 * Per-source reporters of a link: a source that stops reporting is dropped while another still
 * reports the link; one that could not be read is kept (stale, its old lastSeen); the link is
 * stale or down only when nobody reports it.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, type LinkSource } from '../../src/topology/graph.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { mergeReporters, reportersOf, type LinkReporter, type LinkState } from '../../src/topology/reporters.ts';
import { lldp, sw } from './fixtures.ts';

/** `lldp/sw1@200`, `cdp/sw2@100~` (~: stale) */
const r = (s: string): LinkReporter => {
  const m = /^(\w+)\/(\w+)@(\d+)(~?)$/.exec(s)!;
  return { source: m[1] as LinkSource, device: m[2], lastSeen: Number(m[3]), ...(m[4] ? { stale: true } : {}) };
};
const show = (x: LinkReporter) => `${x.source}/${x.device}@${x.lastSeen}${x.stale ? '~' : ''}`;

describe('mergeReporters', () => {
  const both = ['lldp/sw1@200', 'cdp/sw2@200'];
  // current: `source/device` reporting this run (now 300); unread: `device` (every source) or `source/device`
  it.each<[string, string[], string[], string[], boolean, LinkState, string[]]>([
    ['both still report', ['lldp/sw1', 'cdp/sw2'], both, [], false, 'up', ['cdp/sw2@300', 'lldp/sw1@300']],
    ['CDP stopped, LLDP still reports: the link stays, without cdp', ['lldp/sw1'], both, [], false, 'up', ['lldp/sw1@300']],
    ['sw2 unreachable: its CDP report kept, stale, at its last time', ['lldp/sw1'], both, ['sw2'], false, 'up', ['cdp/sw2@200~', 'lldp/sw1@300']],
    ['a kept reporter still unread keeps its old time', ['lldp/sw1'], ['lldp/sw1@200', 'cdp/sw2@100~'], ['sw2'], false, 'up', ['cdp/sw2@100~', 'lldp/sw1@300']],
    ['a kept reporter read again and silent is dropped', ['lldp/sw1'], ['lldp/sw1@200', 'cdp/sw2@100~'], [], false, 'up', ['lldp/sw1@300']],
    ['a kept reporter that reports again is current', ['lldp/sw1', 'cdp/sw2'], ['lldp/sw1@200', 'cdp/sw2@100~'], [], false, 'up', ['cdp/sw2@300', 'lldp/sw1@300']],
    ['a new source joins', ['lldp/sw1', 'ospf/sw2'], ['lldp/sw1@200'], [], false, 'up', ['lldp/sw1@300', 'ospf/sw2@300']],
    ['nobody reports, nobody could read: stale', [], both, ['sw1', 'sw2'], false, 'stale', ['cdp/sw2@200~', 'lldp/sw1@200~']],
    ['nobody reports, sw1 read and silent: down', [], both, ['sw2'], false, 'down', []],
    ['unread is per source: sw1 failed CDP only, its LLDP read and silent: down', [], both, ['cdp/sw1', 'cdp/sw2'], false, 'down', []],
    ['nobody reports, every source unread, a kept reporter among them: stale', [], ['lldp/sw1@200', 'cdp/sw2@100~'], ['sw1', 'sw2'], false, 'stale', ['cdp/sw2@100~', 'lldp/sw1@200~']],
    ['inferred, one side unread: stale (inference needs both tables)', [], ['fdb/sw1@200', 'fdb/sw2@200'], ['fdb/sw2'], true, 'stale', ['fdb/sw1@200~', 'fdb/sw2@200~']],
    ['inferred, both read and silent: down', [], ['fdb/sw1@200', 'fdb/sw2@200'], [], true, 'down', []],
    ['no previous reporters, nobody reports: down', [], [], ['sw1'], false, 'down', []],
  ])('%s', (_, current, previous, unread, inferred, state, want) => {
    const merged = mergeReporters({
      now: 300,
      current: current.map((c) => ({ source: c.split('/')[0] as LinkSource, device: c.split('/')[1] })),
      previous: previous.map(r),
      inferred,
      unread: (device, source) => unread.includes(device) || unread.includes(`${source}/${device}`),
    });
    expect(merged.state).toBe(state);
    expect(merged.reporters.map(show)).toEqual(want);
  });

  it.each<[string, Parameters<typeof reportersOf>[0], string[]]>([
    ['kept reporters as they are', { reporters: [r('lldp/sw1@5~')], reportedBy: ['sw9'], sources: ['cdp'], lastSeen: 7 }, ['lldp/sw1@5~']],
    ['a link saved before: each device by each source, at the link\'s lastSeen', { reportedBy: ['sw1', 'sw2'], sources: ['lldp', 'cdp'], lastSeen: 7 }, ['lldp/sw1@7', 'cdp/sw1@7', 'lldp/sw2@7', 'cdp/sw2@7']],
    ['a link saved with no reporter', { reportedBy: [], sources: ['lldp'], lastSeen: 7 }, []],
  ])('reportersOf: %s', (_, link, want) => {
    expect(reportersOf(link).map(show)).toEqual(want);
  });
});

describe('buildGraph over runs: LLDP from sw1, CDP from sw2, one link', () => {
  /** sw1 sees sw2 by LLDP on Gi0/1, sw2 sees sw1 by CDP on Gi0/2 */
  const run = (o: { lldp?: boolean; cdp?: boolean; failed1?: string[]; failed2?: string[]; down2?: boolean } = {}) => {
    const [a, b] = [sw(1), sw(2)];
    if (o.lldp !== false) lldp(a, 1, b, 2);
    if (o.cdp !== false) b.cdp.push({ localIfIndex: 2, deviceId: 'sw1.lab', port: 'GigabitEthernet0/1' });
    a.failedTables = o.failed1 ?? [];
    b.failedTables = o.failed2 ?? [];
    if (o.down2) { b.unreachable = 'timeout'; b.interfaces = []; b.cdp = []; }
    return [a, b];
  };
  const view = (g: ReturnType<typeof buildGraph>) => g.links.map((l) => ({ sources: [...l.sources].sort(), stale: l.stale ?? false, lastSeen: l.lastSeen, reporters: (l.reporters ?? []).map(show) }));
  const events = (x: ReturnType<typeof buildGraph>, y: ReturnType<typeof buildGraph>) => diffLinks(x, y).map((e) => e.type);

  it('one link, each source a reporter', () => {
    const g = buildGraph(run(), 100);
    expect(view(g)).toEqual([{ sources: ['cdp', 'lldp'], stale: false, lastSeen: 100, reporters: ['cdp/sw2@100', 'lldp/sw1@100'] }]);
  });

  it.each<[string, Parameters<typeof run>[0], Parameters<typeof run>[0], { sources: string[]; stale: boolean; lastSeen: number; reporters: string[] }[], string[]]>([
    ['CDP stops: the link stays, reported by LLDP only', {}, { cdp: false }, [{ sources: ['lldp'], stale: false, lastSeen: 300, reporters: ['lldp/sw1@300'] }], []],
    ['LLDP stops: the link stays, reported by CDP only', {}, { lldp: false }, [{ sources: ['cdp'], stale: false, lastSeen: 300, reporters: ['cdp/sw2@300'] }], []],
    ['sw2 unreachable: up by LLDP, its CDP report kept as unknown', {}, { down2: true }, [{ sources: ['lldp'], stale: false, lastSeen: 300, reporters: ['cdp/sw2@100~', 'lldp/sw1@300'] }], []],
    ['both stop: down', {}, { lldp: false, cdp: false }, [], ['link-down']],
    // sw1's cdpCacheTable failed but its LLDP table answered without the neighbour: that report is
    // gone, whatever CDP sw1 cannot read (it never reported the link by CDP)
    ['sw1 reads LLDP (silent) but not CDP, sw2 cannot read CDP: down', {}, { lldp: false, cdp: false, failed1: ['cdpCacheTable'], failed2: ['cdpCacheTable'] }, [], ['link-down']],
    ['neither can read its source: stale at the last time both saw it', {}, { lldp: false, cdp: false, failed1: ['lldpRemTable'], failed2: ['cdpCacheTable'] }, [{ sources: ['cdp', 'lldp'], stale: true, lastSeen: 100, reporters: ['cdp/sw2@100~', 'lldp/sw1@100~'] }], []],
  ])('%s', (_, first, second, want, wantEvents) => {
    const g1 = buildGraph(run(first), 100);
    const g2 = buildGraph(run(second), 300, g1);
    expect(view(g2)).toEqual(want);
    expect(events(g1, g2)).toEqual(wantEvents);
  });

  it('a reporter kept as unknown keeps the link stale when the other cannot read either', () => {
    const g1 = buildGraph(run(), 100);
    const g2 = buildGraph(run({ failed2: ['cdpCacheTable'], cdp: false }), 200, g1); // up by LLDP, sw2's CDP unknown
    const g3 = buildGraph(run({ failed1: ['lldpRemTable'], lldp: false, failed2: ['cdpCacheTable'], cdp: false }), 300, g2);
    expect(view(g3)).toEqual([{ sources: ['cdp', 'lldp'], stale: true, lastSeen: 200, reporters: ['cdp/sw2@100~', 'lldp/sw1@200~'] }]);
    expect(events(g2, g3)).toEqual([]);
    const g4 = buildGraph(run(), 400, g3);
    expect(view(g4)).toEqual([{ sources: ['cdp', 'lldp'], stale: false, lastSeen: 400, reporters: ['cdp/sw2@400', 'lldp/sw1@400'] }]);
  });
});
