/**
 * Through the topology service and the main wiring's link alerts: routers sw1 and sw2, cabled
 * sw1 Gi0/1 - sw2 Gi0/2 (LLDP), OSPF adjacent over sw1 Gi0/3 - sw2 Gi0/4 (10.9.0.0/30). A link
 * dropped while only OSPF reported it opens an alert keyed by OSPF's ends; when the adjacency is
 * back on those ends, joined to the LLDP link, that alert clears.
 */
import { describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.ts';
import { linkAlert } from '../../src/main/link-alerts.ts';
import type { ResolvedDevice } from '../../src/model/device.ts';
import type { SnmpClient, Varbind } from '../../src/snmp/types.ts';
import type { LinkEvent } from '../../src/topology/diff.ts';
import { OID } from '../../src/topology/oids.ts';
import { createTopologyService } from '../../src/topology/service.ts';
import { memoryTopologyStore } from '../../src/topology/store.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { buildGraph } from '../../src/topology/graph.ts';
import { fakeClient, octets, target } from '../topology/fake-client.ts';
import { lldp, sw } from '../topology/fixtures.ts';

type Sources = { lldp: boolean; ospf: boolean };
const LLDP: Sources = { lldp: true, ospf: false };
const OSPF: Sources = { lldp: false, ospf: true };
const BOTH: Sources = { lldp: true, ospf: true };
const NONE: Sources = { lldp: false, ospf: false };

/** sw1 (127.0.1.1, LLDP on Gi0/1, OSPF on Gi0/3 10.9.0.1/30) or sw2 (127.0.1.2, Gi0/2, Gi0/4 10.9.0.2/30) */
function router(n: 1 | 2, s: Sources): Record<string, Varbind['value']> {
  const other = 3 - n;
  const [lldpPort, ospfPort, farLldpPort] = n === 1 ? [1, 3, 2] : [2, 4, 1];
  const vals: Record<string, Varbind['value']> = {
    [OID.sysName]: octets(`sw${n}`), [OID.lldpLocChassisIdSubtype]: 4, [OID.lldpLocChassisId]: Buffer.from([2, 0, 0, n, 0, 0]),
    [OID.ospfRouterId]: `${n}.${n}.${n}.${n}`,
    ...Object.fromEntries([1, 2, 3, 4].map((i) => [`${OID.ifName}.${i}`, octets(`Gi0/${i}`)])),
    [`${OID.ipAdEntIfIndex}.10.9.0.${n}`]: ospfPort, [`${OID.ipAdEntNetMask}.10.9.0.${n}`]: '255.255.255.252',
  };
  if (s.lldp) {
    Object.assign(vals, {
      [`${OID.lldpRemChassisIdSubtype}.0.${lldpPort}.1`]: 4, [`${OID.lldpRemChassisId}.0.${lldpPort}.1`]: Buffer.from([2, 0, 0, other, 0, 0]),
      [`${OID.lldpRemPortIdSubtype}.0.${lldpPort}.1`]: 5, [`${OID.lldpRemPortId}.0.${lldpPort}.1`]: octets(`Gi0/${farLldpPort}`),
      [`${OID.lldpRemSysName}.0.${lldpPort}.1`]: octets(`sw${other}`),
    });
  }
  if (s.ospf) Object.assign(vals, { [`${OID.ospfNbrRtrId}.10.9.0.${other}.0`]: `${other}.${other}.${other}.${other}`, [`${OID.ospfNbrState}.10.9.0.${other}.0`]: 8 });
  return vals;
}

function lab(now: () => Sources): SnmpClient {
  const agent = (address: string) => fakeClient(router(address === '127.0.1.1' ? 1 : 2, now()));
  return {
    get: (t, oids) => agent(t.address).get(t, oids),
    walk: async () => [],
    table: (t, cols, o) => agent(t.address).table(t, cols, o),
    close: async () => {},
  };
}

/** the service, its link events into an AlertManager as netpulse start wires them */
function setup() {
  let sources = BOTH;
  let clock = 1_000;
  const devices = [1, 2].map((n) => ({ name: `sw${n}`, address: `127.0.1.${n}` }) as ResolvedDevice);
  const service = createTopologyService({
    client: lab(() => sources), devices: () => devices, target: (d) => ({ ...target, address: d.address }),
    store: memoryTopologyStore(), now: () => clock,
  });
  const alerts = new AlertManager(undefined, { logger: { warn: () => {}, info: () => {} } });
  let step: string[] = [];
  service.on('link', (e: LinkEvent) => {
    step.push(`${e.type} ${e.linkId}`);
    linkAlert(alerts, e, (d) => devices.some((x) => x.name === d));
  });
  /** one discovery with these sources: its events, the links (id = ends sources) and the open link alerts */
  const discover = async (next: Sources) => {
    sources = next;
    clock += 1_000;
    step = [];
    const g = await service.discover();
    return {
      events: step,
      links: g.links.map((l) => `${l.id} = ${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port} ${l.sources.join('+')}`),
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
      a.addresses.push({ ip: '10.9.0.1', ifIndex: 3, prefixLength: 30 });
      b.addresses.push({ ip: '10.9.0.2', ifIndex: 4, prefixLength: 30 });
      a.ospf.push({ ip: '10.9.0.2', routerId: '2.2.2.2', state: 8 });
      b.ospf.push({ ip: '10.9.0.1', routerId: '1.1.1.1', state: 8 });
      return [a, b];
    };
    const g1 = buildGraph(reports(true), 100);
    const events = diffLinks(g1, buildGraph(reports(false), 200, g1));
    expect(events.map((e) => `${e.type} ${e.linkId}`)).toEqual([]);
    for (const e of events) linkAlert(alerts, e, () => true);
    expect(alerts.store.list({ state: 'active' })).toEqual([]);
  });
});
