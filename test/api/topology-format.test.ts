/**
 * Both exporters (the API's and the CLI's DOT and GraphML) mark a link by one rule: an inferred
 * link dashed in DOT and `inferred` in GraphML (dotLinkMarks, graphmlLinkMarks), a stale one by
 * staleMarks: `stale` true and `lastSeen` in ISO 8601; a current link carries neither.
 */
import { describe, expect, it } from 'vitest';
import { toDot as apiDot, toGraphml as apiGraphml } from '../../src/api/topology-format.ts';
import { toApiGraph } from '../../src/topology/api-view.ts';
import { dotId, dotLinkMarks, graphmlLinkMarks, staleMarks, toDot, toGraphml } from '../../src/topology/export.ts';
import { buildGraph, type TopoLink, type TopologyGraph } from '../../src/topology/graph.ts';
import { sw } from '../topology/fixtures.ts';

describe('dotId (both DOT exporters)', () => {
  it.each([
    ['plain', 'sw1', '"sw1"'],
    ['quote', 'a"b', '"a\\"b"'],
    ['backslash', 'a\\b', '"a\\\\b"'],
    ['newline (the CLI export used to keep it raw)', 'sw1\ncore', '"sw1\\ncore"'],
  ])('%s', (_, id, expected) => {
    expect(dotId(id)).toBe(expected);
  });
});

describe('staleMarks', () => {
  it.each([
    ['a current link', { lastSeen: 1000 }, []],
    ['stale false', { stale: false, lastSeen: 1000 }, []],
    ['stale with lastSeen', { stale: true, lastSeen: Date.UTC(2026, 11, 4, 12) }, [['stale', 'true'], ['lastSeen', '2026-12-04T12:00:00.000Z']]],
    ['stale at the epoch', { stale: true, lastSeen: 0 }, [['stale', 'true'], ['lastSeen', '1970-01-01T00:00:00.000Z']]],
    ['stale, lastSeen unknown', { stale: true }, [['stale', 'true']]],
    ['stale, lastSeen not a time', { stale: true, lastSeen: Number.NaN }, [['stale', 'true']]],
    ['stale, lastSeen out of range', { stale: true, lastSeen: 1e20 }, [['stale', 'true']]],
  ])('%s', (_, link, expected) => {
    expect(staleMarks(link)).toEqual(expected);
  });
});

describe('stale links in the exports', () => {
  const seen = Date.UTC(2026, 11, 4, 12);
  /** sw1 sees server1 and server2 by LLDP; the second run's lldpRemTable stops after server1's row */
  function graph() {
    const run = (rows: number[], failed: boolean) => {
      const a = sw(1);
      for (const p of rows) {
        a.lldp.push({ localPortNum: p, localIfIndex: p, localPort: `Gi0/${p}`, chassisIdSubtype: 4, chassisId: `0a:00:00:00:00:0${p}`, portIdSubtype: 5, portId: 'eth0', sysName: `server${p}`, managementAddresses: [] });
      }
      if (failed) { a.failedTables = ['lldpRemTable']; a.problems = ['lldpRemTable: walk stopped']; }
      return [a];
    };
    const g = buildGraph(run([1, 2], false), seen);
    return buildGraph(run([1], true), seen + 60_000, g);
  }
  const g = graph();
  const edges = (out: string) => out.match(/<edge[\s\S]*?<\/edge>/g) ?? [];

  it('the graph has one current and one stale link', () => {
    expect(g.links.map((l) => [l.a.node, l.stale ?? false, l.lastSeen])).toEqual([
      ['lldp:0a:00:00:00:00:01', false, seen + 60_000], ['lldp:0a:00:00:00:00:02', true, seen],
    ]);
  });

  it.each([
    ['CLI', toDot(g)],
    ['API', apiDot(toApiGraph(g))],
  ])('%s DOT: stale and lastSeen attributes on the stale edge only', (_, dot) => {
    const lines = dot.split('\n').filter((l) => l.includes(' -- '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toMatch(/stale|lastSeen/);
    expect(lines[1]).toMatch(/, stale="true", lastSeen="2026-12-04T12:00:00.000Z"\];$/);
  });

  it.each([
    ['CLI', toGraphml(g)],
    ['API', apiGraphml(toApiGraph(g))],
  ])('%s GraphML: stale and lastSeen keys declared, data on the stale edge only', (_, xml) => {
    expect(xml).toContain('<key id="stale" for="edge" attr.name="stale" attr.type="boolean"><default>false</default></key>');
    expect(xml).toContain('<key id="lastSeen" for="edge" attr.name="lastSeen" attr.type="string"/>');
    const [current, stale] = edges(xml);
    expect(current).not.toMatch(/key="(stale|lastSeen)"/);
    expect(stale).toContain('<data key="stale">true</data>');
    expect(stale).toContain('<data key="lastSeen">2026-12-04T12:00:00.000Z</data>');
    expect(edges(xml)).toHaveLength(2);
  });
});

describe('inferred links', () => {
  const SEEN = Date.UTC(2026, 11, 4, 12);
  it.each([
    ['an announced link', { inferred: false }, [], [['inferred', 'false']]],
    ['inferred unknown', {}, [], [['inferred', 'false']]],
    ['an inferred link', { inferred: true }, ['style=dashed'], [['inferred', 'true']]],
    ['inferred and stale', { inferred: true, stale: true, lastSeen: SEEN }, ['style=dashed', 'stale="true"', 'lastSeen="2026-12-04T12:00:00.000Z"'],
      [['inferred', 'true'], ['stale', 'true'], ['lastSeen', '2026-12-04T12:00:00.000Z']]],
  ])('%s: DOT %j, GraphML %j', (_, link, dot, graphml) => {
    expect(dotLinkMarks(link)).toEqual(dot);
    expect(graphmlLinkMarks(link)).toEqual(graphml);
  });

  const link = (id: string, b: string, sources: TopoLink['sources'], inferred: boolean): TopoLink => ({
    id, a: { node: 'sw1', port: 'Gi0/1' }, b: { node: b, port: 'Gi0/2' }, sources, inferred, reportedBy: ['sw1'], firstSeen: 1, lastSeen: SEEN,
  });
  const g: TopologyGraph = {
    generatedAt: SEEN,
    nodes: ['sw1', 'sw2', 'sw3'].map((id) => ({ id, label: id, managed: true })),
    links: [link('l1', 'sw2', ['lldp'], false), link('l2', 'sw3', ['fdb'], true)],
    anomalies: [],
  };

  it.each([
    ['CLI', toDot(g)],
    ['API', apiDot(toApiGraph(g))],
  ])('%s DOT: the inferred edge dashed, the announced one not', (_, dot) => {
    const lines = dot.split('\n').filter((l) => l.includes(' -- '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/"sw2"/);
    expect(lines[0]).not.toContain('style=dashed');
    expect(lines[1]).toMatch(/"sw3" \[.*, style=dashed\];$/);
  });

  it.each([
    ['CLI', toGraphml(g)],
    ['API', apiGraphml(toApiGraph(g))],
  ])('%s GraphML: the inferred key declared, true on the inferred edge, false on the other', (_, xml) => {
    expect(xml).toContain('<key id="inferred" for="edge" attr.name="inferred" attr.type="boolean"/>');
    const [announced, inferred, ...rest] = xml.match(/<edge[\s\S]*?<\/edge>/g) ?? [];
    expect(rest).toEqual([]);
    expect(announced).toContain('<data key="inferred">false</data>');
    expect(inferred).toContain('<data key="inferred">true</data>');
  });
});
