/**
 * The topology page in real headless Chromium against the app with fake services: links that are
 * forwarding-table guesses (fdb, arp only) are dashed, stale ones greyed with a since-when title, and
 * the first draw reads the links a bounded number of times per link, not once per node and link.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TopologyGraph } from '../../src/api/services.ts';
import { openTopology as openHarnessTopology, useLiveUi } from '../e2e/live-ui-harness.ts';

const ui = useLiveUi('topology-draw');

const openTopology = (graph: TopologyGraph) => openHarnessTopology(ui, graph);

const node = (id: string): TopologyGraph['nodes'][number] => ({ id, label: id, device: id, kind: 'switch', state: 'up' });

describe('topology page', () => {
  it('dashes the links only forwarding tables (fdb, arp) report', async () => {
    const link = (id: string, source: string, target: string, protocol: string) => ({ id, source, target, protocol });
    const page = await openTopology({
      nodes: ['a', 'b', 'c', 'd', 'e'].map(node),
      links: [
        link('lldp', 'a', 'b', 'lldp'), link('fdb', 'b', 'c', 'fdb'), link('fdb-arp', 'c', 'd', 'fdb,arp'),
        link('arp', 'd', 'e', 'arp'), link('lldp-fdb', 'e', 'a', 'lldp,fdb'),
      ],
    });
    const styles = await page.evaluate(() => Object.fromEntries((window as any).__netpulseCy.edges().map((e: any) => [e.id(), e.style('line-style')])));
    expect(styles).toEqual({ lldp: 'solid', fdb: 'dashed', 'fdb-arp': 'dashed', arp: 'dashed', 'lldp-fdb': 'solid' });
    await page.close();
    expect(ui.consoleErrors).toEqual([]);
  });

  it('greys stale links and says since when on hover', async () => {
    const lastSeen = Date.now() - 3 * 3600_000;
    const page = await openTopology({
      nodes: ['a', 'b', 'c'].map(node),
      links: [
        { id: 'fresh', source: 'a', target: 'b', protocol: 'lldp', stale: false, lastSeen: Date.now() },
        { id: 'stale', source: 'b', target: 'c', protocol: 'lldp', stale: true, lastSeen },
      ],
    });
    const look = await page.evaluate(() => Object.fromEntries((window as any).__netpulseCy.edges().map((e: any) => [e.id(), [e.style('line-color'), e.style('opacity')]])));
    expect(look.stale).not.toEqual(look.fresh);
    expect(Number(look.stale[1])).toBeLessThan(1);
    // hover the middle of the stale link: the drawing's box carries its title
    const at = await page.evaluate(() => {
      const cy = (window as any).__netpulseCy;
      const m = cy.$id('stale').renderedMidpoint();
      const r = cy.container().getBoundingClientRect();
      return { x: r.left + m.x, y: r.top + m.y };
    });
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => page.locator('#cy').getAttribute('title'), { timeout: 10_000 }).toMatch(/^not seen since .+ \(3h ago\)/);
    await page.close();
    expect(ui.consoleErrors).toEqual([]);
  });

  it('reads each link a few times on the first draw, not once per node', async () => {
    // counts reads of the fetched graph's link entries (a quadratic draw reads nodes × links of them)
    await ui.context.addInitScript(() => {
      const w = window as any;
      w.__linkReads = 0;
      const json = Response.prototype.json;
      Response.prototype.json = async function () {
        const data = await json.call(this);
        if (Array.isArray(data?.links) && Array.isArray(data?.nodes)) {
          data.links = new Proxy(data.links, { get(t, k, r) { if (typeof k === 'string' && /^\d+$/.test(k)) w.__linkReads++; return Reflect.get(t, k, r); } });
        }
        return data;
      };
    });
    const n = 300;
    const ids = Array.from({ length: n }, (_, i) => `sw${i}`);
    const page = await openTopology({
      nodes: ids.map(node),
      links: ids.slice(1).map((id, i) => ({ id: `l${i}`, source: ids[i], target: id, sourcePort: 'Gi0/1', targetPort: 'Gi0/2', protocol: 'lldp' })),
    });
    expect(await page.evaluate(() => (window as any).__netpulseCy.edges().length)).toBe(n - 1);
    const reads = await page.evaluate(() => (window as any).__linkReads);
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThanOrEqual(5 * (n - 1));
    await page.close();
    expect(ui.consoleErrors).toEqual([]);
  }, 60_000);
});
