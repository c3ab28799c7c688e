/**
 * Through the topology service and the main wiring's link alerts: routers sw1 and sw2, cabled
 * sw1 Gi0/1 - sw2 Gi0/2 (LLDP), OSPF adjacent over sw1 Gi0/3 - sw2 Gi0/4 (10.9.0.0/30). A link
 * dropped while only OSPF reported it opens an alert keyed by OSPF's ends; when the adjacency is
 * back on those ends, joined to the LLDP link, that alert clears.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { linkAlert } from '../../src/main/link-alerts.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import { routerService, type Sources } from '../topology/fake-routers.ts';
import { lldp, ospf, sw } from '../topology/fixtures.ts';

const LLDP: Sources = { lldp: true, ospf: false };
const OSPF: Sources = { lldp: false, ospf: true };
const BOTH: Sources = { lldp: true, ospf: true };
const NONE: Sources = { lldp: false, ospf: false };

/** the service, its link events into an AlertManager as netpulse start wires them */
function setup() {
  const lab = routerService({ name: 'sw', lldp: [1, 2], ospf: [3, 4] });
  const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
  lab.service.on('link', (e) => linkAlert(alerts, e, (d) => lab.devices.some((x) => x.name === d)));
  /** one discovery with these sources: its events, the links (id = ends sources) and the open link alerts */
  const discover = async (next: Sources) => {
    const { graph, events } = await lab.discover(next);
    return {
      events: events.map((e) => `${e.type} ${e.linkId}`),
      links: graph.links.map((l) => `${l.id} = ${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port} ${l.sources.join('+')}`),
      open: alerts.store.list({ state: 'active' }).map((a) => a.key).sort(),
    };
  };
  return { discover };
}

const LLDP_ID = 'sw1#gi0/1|sw2#gi0/2';
const OSPF_ID = 'sw1#gi0/3|sw2#gi0/4';

describe('a link-down alert clears when what it was about is up again', () => {
  it('LLDP+OSPF, OSPF only, LLDP only, LLDP+OSPF, OSPF only: the OSPF ends\' alert clears when the adjacency is back', async () => {
    const { discover } = setup();
    expect(await discover(BOTH)).toEqual({ events: [], links: [`${LLDP_ID} = sw1:Gi0/1 - sw2:Gi0/2 lldp+ospf`], open: [] });
    expect(await discover(OSPF)).toEqual({ events: [], links: [`${LLDP_ID} = sw1:Gi0/3 - sw2:Gi0/4 ospf`], open: [] });
    expect(await discover(LLDP)).toEqual({
      events: [`link-up ${LLDP_ID}`, `link-down ${OSPF_ID}`], links: [`${LLDP_ID}~2 = sw1:Gi0/1 - sw2:Gi0/2 lldp`], open: [`topology:link:${OSPF_ID}`],
    });
    expect(await discover(BOTH)).toEqual({ events: [`link-up ${OSPF_ID}`], links: [`${LLDP_ID}~2 = sw1:Gi0/1 - sw2:Gi0/2 lldp+ospf`], open: [] });
    expect(await discover(OSPF)).toEqual({ events: [], links: [`${LLDP_ID}~2 = sw1:Gi0/3 - sw2:Gi0/4 ospf`], open: [] });
  });

  it('OSPF only, nothing, LLDP+OSPF: the OSPF link\'s alert clears when its adjacency comes back beside LLDP', async () => {
    const { discover } = setup();
    expect((await discover(OSPF)).links).toEqual([`${OSPF_ID} = sw1:Gi0/3 - sw2:Gi0/4 ospf`]);
    expect(await discover(NONE)).toEqual({ events: [`link-down ${OSPF_ID}`], links: [], open: [`topology:link:${OSPF_ID}`] });
    expect(await discover(BOTH)).toEqual({
      events: [`link-up ${LLDP_ID}`, `link-up ${OSPF_ID}`], links: [`${LLDP_ID} = sw1:Gi0/1 - sw2:Gi0/2 lldp+ospf`], open: [],
    });
  });

  it('a link whose ends go down while its OSPF adjacency joins another link in the same run: no event, no alert', () => {
    const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
    // cables sw1 Gi0/1 - sw2 Gi0/2 (LLDP) and Gi0/3 - Gi0/4 (LLDP, OSPF over it); then LLDP stops on Gi0/3 - Gi0/4
    const reports = (lldpOnRouted: boolean) => {
      const [a, b] = [sw(1), sw(2)];
      lldp(a, 1, b, 2); lldp(b, 2, a, 1);
      if (lldpOnRouted) { lldp(a, 3, b, 4); lldp(b, 4, a, 3); }
      ospf(a, b);
      return [a, b];
    };
    const g1 = buildGraph(reports(true), 100);
    const events = diffLinks(g1, buildGraph(reports(false), 200, g1));
    expect(events.map((e) => `${e.type} ${e.linkId}`)).toEqual([]);
    for (const e of events) linkAlert(alerts, e, () => true);
    expect(alerts.store.list({ state: 'active' })).toEqual([]);
  });
});
