/**
 * The topology page in real headless Chromium: hovering a link shows which device reports it by
 * which source, each with its last-seen time in the browser's zone (a half-hour offset here), and
 * the reporters that could not be read this time marked stale.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TopologyGraph } from '../../src/api/services.ts';
import { openTopology as openHarnessTopology, useLiveUi } from '../e2e/live-ui-harness.ts';

const ui = useLiveUi('topology-reporters', { timezoneId: 'Asia/Kolkata' });

const node = (id: string): TopologyGraph['nodes'][number] => ({ id, label: id, device: id, kind: 'switch', state: 'up' });
const T1 = Date.UTC(2026, 0, 15, 8, 5, 9);
const T2 = Date.UTC(2026, 0, 14, 23, 40, 0);
const KOLKATA_T1 = '2026-01-15 13:35:09 GMT+5:30';
const KOLKATA_T2 = '2026-01-15 05:10:00 GMT+5:30';

const GRAPH: TopologyGraph = {
  nodes: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(node),
  links: [
    { id: 'both', source: 'a', target: 'b', protocol: 'cdp,lldp', stale: false, lastSeen: T1, reporters: [
      { source: 'cdp', device: 'b', lastSeen: T2, stale: true },
      { source: 'lldp', device: 'a', lastSeen: T1 },
    ] },
    { id: 'stale', source: 'c', target: 'd', protocol: 'ospf', stale: true, lastSeen: T2, reporters: [{ source: 'ospf', device: 'c', lastSeen: T2, stale: true }] },
    { id: 'guess', source: 'e', target: 'f', protocol: 'arp,fdb', inferred: true, stale: false, lastSeen: T1, reporters: [
      { source: 'arp', device: 'f', lastSeen: T1 },
      { source: 'fdb', device: 'e', lastSeen: T1 },
    ] },
    { id: 'unreported', source: 'g', target: 'h', protocol: 'lldp', stale: false, lastSeen: T1 },
  ],
};

async function openTopology(graph: TopologyGraph): Promise<Page> {
  const page = await openHarnessTopology(ui, graph);
  await expect.poll(() => page.evaluate(() => (window as any).__netpulseCy?.edges().length ?? 0), { timeout: 10_000 }).toBe(graph.links.length);
  // each link on a row of its own, so that no node covers another link's middle
  await page.evaluate(() => {
    const cy = (window as any).__netpulseCy;
    cy.edges().forEach((e: any, i: number) => { e.source().position({ x: 0, y: i * 150 }); e.target().position({ x: 400, y: i * 150 }); });
    cy.fit(undefined, 30);
  });
  return page;
}

/** the drawing box's title once the page has seen the pointer over `link`'s middle */
async function hoverTitle(page: Page, link: string): Promise<string> {
  const at = await page.evaluate((id) => {
    const w = window as any;
    const cy = w.__netpulseCy;
    // registered after the page's own: when it has run, the page's handler has too
    if (!w.__hoverSeen) { w.__hoverSeen = true; cy.on('mouseover', 'edge', (ev: any) => { w.__hovered = ev.target.id(); }); }
    w.__hovered = undefined;
    const m = cy.$id(id).renderedMidpoint();
    const r = cy.container().getBoundingClientRect();
    return { x: r.left + m.x, y: r.top + m.y };
  }, link);
  await page.mouse.move(1, 1);
  await page.mouse.move(at.x, at.y);
  await expect.poll(() => page.evaluate(() => (window as any).__hovered), { timeout: 10_000 }).toBe(link);
  return (await page.locator('#cy').getAttribute('title')) ?? '';
}

describe('topology link reporters', () => {
  it('shows on hover who reports each link by which source and when, stale reporters marked', async () => {
    const page = await openTopology(GRAPH);
    expect((await hoverTitle(page, 'both')).split('\n')).toEqual([
      'reported by:',
      `b by CDP, last seen ${KOLKATA_T2} (stale: could not be read this time)`,
      `a by LLDP, last seen ${KOLKATA_T1}`,
    ]);
    const stale = (await hoverTitle(page, 'stale')).split('\n');
    expect(stale[0]).toMatch(new RegExp(`^not seen since ${KOLKATA_T2.replace('+', '\\+')} \\(\\d+d ago\\): `));
    expect(stale.slice(1)).toEqual(['reported by:', `c by OSPF, last seen ${KOLKATA_T2} (stale: could not be read this time)`]);
    expect((await hoverTitle(page, 'guess')).split('\n')).toEqual([
      'reported by:', `f by ARP, last seen ${KOLKATA_T1}`, `e by FDB, last seen ${KOLKATA_T1}`,
    ]);
    await page.close();
    expect(ui.consoleErrors).toEqual([]);
  });

  it('gives a link the API sends without reporters no title', async () => {
    const page = await openTopology(GRAPH);
    expect(await hoverTitle(page, 'both')).toMatch(/^reported by:\n/);
    expect(await hoverTitle(page, 'unreported')).toBe('');
    await page.close();
    expect(ui.consoleErrors).toEqual([]);
  });
});
