/**
 * A device removed from the inventory is no longer polled, so the next discovery no longer finds
 * the links only it reported: that is not a link failure, and no `topology-link-down` alert is
 * raised for it (named after the removed device, it would stay open: no link-up and no sweep
 * comes for it until the next start-up). A link a device still in the inventory reported is.
 */
import { expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import type { TopoLink, TopologyGraph } from '../../src/topology/graph.ts';
import { linkAlert } from '../../src/main/link-alerts.ts';

const T0 = Date.parse('2026-12-04T23:00:00Z');

const link = (a: string, b: string, reportedBy: string[]): TopoLink => ({
  id: `${a}:p1|${b}:p2`, a: { node: a, port: 'p1' }, b: { node: b, port: 'p2' }, sources: ['lldp'], inferred: false,
  reportedBy, firstSeen: T0, lastSeen: T0,
});

const graph = (at: number, managed: string[], links: TopoLink[]): TopologyGraph => ({
  generatedAt: at, anomalies: [], links,
  nodes: [...new Set(links.flatMap((l) => [l.a.node, l.b.node]))].map((id) => ({ id, label: id, managed: managed.includes(id), ...(managed.includes(id) ? { device: id } : {}) })),
});

it('links only a removed device reported raise no alert when they vanish; a kept reporter\'s vanished link does', () => {
  const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
  const inventory = new Set(['b', 'c']);
  const before = graph(T0, ['a', 'b', 'c'], [link('a', 'b', ['a']), link('a', 'x', ['a']), link('b', 'c', ['b', 'c'])]);
  // `a` left the inventory: not polled any more, its links are not found; b <-> c went down for real
  const after = graph(T0 + 60_000, ['b', 'c'], []);
  const events = diffLinks(before, after);
  expect(events.map((e) => `${e.type} ${e.device}`).sort()).toEqual(['link-down a', 'link-down a', 'link-down b']);
  for (const e of events) linkAlert(alerts, e, (d) => inventory.has(d));
  expect(alerts.store.list({ state: 'active' }).map((a) => `${a.key} ${a.device}`)).toEqual([expect.stringMatching(/^topology:link:\S+ b$/)]);
});

it('a vanished link a remaining device reported too, named after the removed end, is raised naming the remaining one', () => {
  const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
  const before = graph(T0, ['a', 'b'], [link('a', 'b', ['a', 'b'])]);
  const events = diffLinks(before, graph(T0 + 60_000, ['b'], []));
  expect(events.map((e) => `${e.type} ${e.device}`)).toEqual(['link-down a']);
  for (const e of events) linkAlert(alerts, e, (d) => d === 'b');
  expect(alerts.store.list({ state: 'active' }).map((a) => a.device)).toEqual(['b']);
});
