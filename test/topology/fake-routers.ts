import type { ResolvedDevice } from '../../src/model/device.ts';
import type { SnmpClient, Varbind } from '../../src/snmp/types.ts';
import type { LinkEvent } from '../../src/topology/diff.ts';
import type { TopologyGraph } from '../../src/topology/graph.ts';
import { OID } from '../../src/topology/oids.ts';
import { createTopologyService, type TopologyService } from '../../src/topology/service.ts';
import { memoryTopologyStore } from '../../src/topology/store.ts';
import { fakeClient, octets, target } from './fake-client.ts';

/** what the routers run in one discovery */
export type Sources = { lldp: boolean; ospf: boolean };

/**
 * Two routers `<name>1` at 127.0.1.1 and `<name>2` at 127.0.1.2, interfaces Gi0/1.. (ifIndex 1..):
 * a cable between the `lldp` ports (router 1's, router 2's) seen by LLDP, and OSPF over the
 * `ospf` ports, 10.9.0.1/30 - 10.9.0.2/30 (router ids 1.1.1.1, 2.2.2.2).
 */
export interface RouterPair { name: string; lldp: [number, number]; ospf: [number, number] }

function router(p: RouterPair, n: 1 | 2, s: Sources): Record<string, Varbind['value']> {
  const other = 3 - n;
  const [lldpPort, ospfPort, farLldpPort] = n === 1 ? [p.lldp[0], p.ospf[0], p.lldp[1]] : [p.lldp[1], p.ospf[1], p.lldp[0]];
  const ports = Math.max(...p.lldp, ...p.ospf);
  const vals: Record<string, Varbind['value']> = {
    [OID.sysName]: octets(`${p.name}${n}`), [OID.lldpLocChassisIdSubtype]: 4, [OID.lldpLocChassisId]: Buffer.from([2, 0, 0, n, 0, 0]),
    [OID.ospfRouterId]: `${n}.${n}.${n}.${n}`,
    ...Object.fromEntries(Array.from({ length: ports }, (_, i) => [`${OID.ifName}.${i + 1}`, octets(`Gi0/${i + 1}`)])),
    [`${OID.ipAdEntIfIndex}.10.9.0.${n}`]: ospfPort, [`${OID.ipAdEntNetMask}.10.9.0.${n}`]: '255.255.255.252',
  };
  if (s.lldp) {
    Object.assign(vals, {
      [`${OID.lldpRemChassisIdSubtype}.0.${lldpPort}.1`]: 4, [`${OID.lldpRemChassisId}.0.${lldpPort}.1`]: Buffer.from([2, 0, 0, other, 0, 0]),
      [`${OID.lldpRemPortIdSubtype}.0.${lldpPort}.1`]: 5, [`${OID.lldpRemPortId}.0.${lldpPort}.1`]: octets(`Gi0/${farLldpPort}`),
      [`${OID.lldpRemSysName}.0.${lldpPort}.1`]: octets(`${p.name}${other}`),
    });
  }
  if (s.ospf) Object.assign(vals, { [`${OID.ospfNbrRtrId}.10.9.0.${other}.0`]: `${other}.${other}.${other}.${other}`, [`${OID.ospfNbrState}.10.9.0.${other}.0`]: 8 });
  return vals;
}

/** both routers, each answering at its own address with what `now()` says it runs */
export function routerLab(p: RouterPair, now: () => Sources): SnmpClient {
  const agent = (address: string) => fakeClient(router(p, address === '127.0.1.1' ? 1 : 2, now()));
  return {
    get: (t, oids) => agent(t.address).get(t, oids),
    walk: async () => [],
    table: (t, cols, o) => agent(t.address).table(t, cols, o),
    close: async () => {},
  };
}

/**
 * A topology service over routerLab's routers (devices `<name>1`, `<name>2`, an in-memory store)
 * and `discover`: one discovery a second after the last, with these sources, giving the graph
 * and the link events it raised.
 */
export function routerService(p: RouterPair): {
  service: TopologyService; devices: ResolvedDevice[]; discover(next: Sources): Promise<{ graph: TopologyGraph; events: LinkEvent[] }>;
} {
  let sources: Sources = { lldp: true, ospf: true };
  let clock = 1_000;
  const devices = [1, 2].map((n) => ({ name: `${p.name}${n}`, address: `127.0.1.${n}` }) as ResolvedDevice);
  const service = createTopologyService({
    client: routerLab(p, () => sources), devices: () => devices, target: (d) => ({ ...target, address: d.address }),
    store: memoryTopologyStore(), now: () => clock,
  });
  let events: LinkEvent[] = [];
  service.on('link', (e) => events.push(e));
  const discover = async (next: Sources) => {
    sources = next;
    clock += 1_000;
    events = [];
    const graph = await service.discover();
    return { graph, events };
  };
  return { service, devices, discover };
}
