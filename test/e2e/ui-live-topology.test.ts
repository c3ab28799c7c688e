/**
 * The topology page through a `reset`, in real headless Chromium against the app with fake services:
 * it re-fetches the graph once and merges it into the drawn map in place (same page element, same
 * cytoscape instance), keeping pan, zoom, the positions of the nodes still there and the selection
 * of the nodes still there; gone nodes and links go, new ones appear, changed ones change.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { TopologyGraph } from '../../src/api/services.ts';
import { forceReset, RESET_TOAST, useLiveUi, watchGets } from './live-ui-harness.ts';

const ui = useLiveUi('live-topology');


/** what the page shows: the map's elements, viewport and selection, and whether it is still the same page and map */
const snapshot = () => ui.page.evaluate(() => {
  const w = window as any;
  const cy = w.__netpulseCy;
  const sorted = (c: any) => c.map((e: any) => e.id()).sort();
  return {
    nodes: sorted(cy.nodes()), links: sorted(cy.edges()), selected: sorted(cy.$(':selected')),
    zoom: cy.zoom(), pan: cy.pan(), distSw1At: cy.$id('dist-sw1').position(),
    coreLabel: cy.$id('core-rtr1').data('label'), distSw2Color: cy.$id('dist-sw2').data('color'),
    l4Ends: cy.$id('l4').nonempty() ? [cy.$id('l4').data('source'), cy.$id('l4').data('target')] : null,
    sameMap: cy === w.__mapBefore, sameRoot: (document.querySelector('#main > div') as any)?.__marker === 'before-reset',
    sameCanvas: document.querySelector('#cy canvas') === w.__canvasBefore,
  };
});

describe('topology page through a reset', () => {
  it('merges the new graph in place, keeping viewport, positions and the selection of nodes still there', async () => {
    await ui.page.goto(`${ui.server.url}/#/topology`);
    await ui.page.locator('#cy canvas').first().waitFor();
    await expect.poll(() => ui.page.evaluate(() => (window as any).__netpulseCy?.nodes().length ?? 0)).toBe(5);
    await ui.page.locator('#live.on').waitFor();

    // zoom and pan with the wheel as a user would, and select two nodes (a tap would open the device)
    const box = (await ui.page.locator('#cy').boundingBox())!;
    await ui.page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
    await ui.page.mouse.wheel(0, -400);
    await expect.poll(() => ui.page.evaluate(() => (window as any).__netpulseCy.zoom())).not.toBe(1);
    await ui.page.evaluate(() => {
      const w = window as any;
      w.__netpulseCy.$('#dist-sw1, #access-sw3').select();
      w.__mapBefore = w.__netpulseCy;
      w.__canvasBefore = document.querySelector('#cy canvas');
      (document.querySelector('#main > div') as any).__marker = 'before-reset';
    });
    const before = await snapshot();
    expect(before.selected).toEqual(['access-sw3', 'dist-sw1']);

    // while the stream is down (no live event tells of it): access-sw3 goes, edge-sw9 comes, others change
    const graph = await ui.svc.topology.graph();
    const next: TopologyGraph = {
      nodes: [
        ...graph.nodes.filter((n) => n.id !== 'access-sw3').map((n) => (n.id === 'core-rtr1' ? { ...n, label: 'core-rtr1 (renamed)' } : n.id === 'dist-sw2' ? { ...n, state: 'up' as const } : n)),
        { id: 'edge-sw9', label: 'edge-sw9', device: 'edge-sw9', kind: 'switch', state: 'up' },
      ],
      links: [
        ...graph.links.filter((l) => l.id !== 'l3').map((l) => (l.id === 'l4' ? { ...l, source: 'dist-sw1' } : l)),
        { id: 'l5', source: 'dist-sw1', target: 'edge-sw9', sourcePort: 'Gi0/9', targetPort: 'Gi0/1', protocol: 'lldp' },
      ],
      discoveredAt: Date.now(),
    };
    const topologyFetches = watchGets(ui, '/api/v1/topology');
    try {
      await forceReset(ui, () => { ui.svc.topology.graph = async () => structuredClone(next); });
      await expect.poll(() => ui.page.locator('.toast', { hasText: RESET_TOAST }).count(), { timeout: 5_000 }).toBeGreaterThan(0);
      await expect.poll(async () => (await snapshot()).nodes, { timeout: 5_000 }).toEqual(['core-rtr1', 'dist-sw1', 'dist-sw2', 'edge-sw9', 'lldp:00:11:22:33:44:55']);
      await sleep(1_500); // past the refresh's gap: nothing more is fetched
    } finally { topologyFetches.stop(); }
    expect(topologyFetches.queries.length).toBe(1);

    const after = await snapshot();
    expect(after.links).toEqual(['l1', 'l2', 'l4', 'l5']);
    expect(after.l4Ends).toEqual(['dist-sw1', 'lldp:00:11:22:33:44:55']);
    expect(after.coreLabel).toBe('core-rtr1 (renamed)');
    expect(after.distSw2Color).toBe('#16a34a');
    expect(await ui.page.textContent('#topology-info')).toContain('5 nodes, 4 links');
    // not drawn anew: same page element, map and canvas; the view and the nodes still there stay put
    expect(after).toMatchObject({ sameMap: true, sameRoot: true, sameCanvas: true });
    expect(after.zoom).toBe(before.zoom);
    expect(after.pan).toEqual(before.pan);
    expect(after.distSw1At).toEqual(before.distSw1At);
    expect(after.selected).toEqual(['dist-sw1']);
    // the new node lands near its neighbour, not somewhere off the map
    const newAt = await ui.page.evaluate(() => (window as any).__netpulseCy.$id('edge-sw9').position());
    expect(Math.hypot(newAt.x - before.distSw1At.x, newAt.y - before.distSw1At.y)).toBeLessThan(100);
    expect(ui.consoleErrors).toEqual([]);
  }, 30_000);

  it('keeps the viewport when "Discover now" re-fetches the map', async () => {
    const before = await snapshot();
    const drawn = Number(await ui.page.getAttribute('#cy', 'data-drawn'));
    await ui.page.click('#discover');
    await expect.poll(() => ui.page.textContent('#toasts')).toContain('discovery:');
    // the info line said "discovered" before too: wait for the map to take in the graph fetched after the discovery
    await ui.page.locator(`#cy[data-drawn="${drawn + 1}"]`).waitFor({ state: 'attached' });
    expect(await ui.page.textContent('#topology-info')).toContain('discovered');
    const after = await snapshot();
    expect(after).toMatchObject({ sameMap: true, sameRoot: true, sameCanvas: true, zoom: before.zoom, pan: before.pan, selected: ['dist-sw1'] });
    expect(ui.consoleErrors).toEqual([]);
  }, 20_000);
});
