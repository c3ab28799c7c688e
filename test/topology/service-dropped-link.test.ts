/**
 * Through the service: a link seen by LLDP and OSPF, then by OSPF alone (the link goes on under
 * OSPF's ends, with its id), then by LLDP alone (OSPF down: nothing goes on with it). The LLDP
 * link's ends give the id the dropped link kept, yet the engineer must see both events.
 */
import { describe, expect, it } from 'vitest';
import type { SnmpClient, Varbind } from '../../src/snmp/types.ts';
import type { ResolvedDevice } from '../../src/model/device.ts';
import type { LinkEvent } from '../../src/topology/diff.ts';
import { OID } from '../../src/topology/oids.ts';
import { createTopologyService } from '../../src/topology/service.ts';
import { memoryTopologyStore } from '../../src/topology/store.ts';
import { fakeClient, octets, target } from './fake-client.ts';

type Sources = { lldp: boolean; ospf: boolean };

/** router n (r1, r2) at 127.0.1.n: Gi0/1 cabled to the other's Gi0/1 (LLDP), OSPF over Gi0/2 in 10.9.0.0/30 */
function router(n: 1 | 2, s: Sources): Record<string, Varbind['value']> {
  const other = 3 - n;
  const vals: Record<string, Varbind['value']> = {
    [OID.sysName]: octets(`r${n}`), [OID.lldpLocChassisIdSubtype]: 4, [OID.lldpLocChassisId]: Buffer.from([2, 0, 0, n, 0, 0]),
    [OID.ospfRouterId]: `${n}.${n}.${n}.${n}`,
    [`${OID.ifName}.1`]: octets('Gi0/1'), [`${OID.ifName}.2`]: octets('Gi0/2'),
    [`${OID.ipAdEntIfIndex}.10.9.0.${n}`]: 2, [`${OID.ipAdEntNetMask}.10.9.0.${n}`]: '255.255.255.252',
  };
  if (s.lldp) {
    Object.assign(vals, {
      [`${OID.lldpRemChassisIdSubtype}.0.1.1`]: 4, [`${OID.lldpRemChassisId}.0.1.1`]: Buffer.from([2, 0, 0, other, 0, 0]),
      [`${OID.lldpRemPortIdSubtype}.0.1.1`]: 5, [`${OID.lldpRemPortId}.0.1.1`]: octets('Gi0/1'), [`${OID.lldpRemSysName}.0.1.1`]: octets(`r${other}`),
    });
  }
  if (s.ospf) Object.assign(vals, { [`${OID.ospfNbrRtrId}.10.9.0.${other}.0`]: `${other}.${other}.${other}.${other}`, [`${OID.ospfNbrState}.10.9.0.${other}.0`]: 8 });
  return vals;
}

/** both routers, each answering at its own address with what `now()` says it runs */
function lab(now: () => Sources): SnmpClient {
  const agent = (address: string) => fakeClient(router(address === '127.0.1.1' ? 1 : 2, now()));
  return {
    get: (t, oids) => agent(t.address).get(t, oids),
    walk: async () => [],
    table: (t, cols, o) => agent(t.address).table(t, cols, o),
    close: async () => {},
  };
}

describe('topology service: a link dropped under other ends than its id\'s', () => {
  it('LLDP+OSPF, OSPF only, LLDP only: link-down for the OSPF link, link-up for the new LLDP link', async () => {
    let sources: Sources = { lldp: true, ospf: true };
    let clock = 1_000;
    const devices = [1, 2].map((n) => ({ name: `r${n}`, address: `127.0.1.${n}` }) as ResolvedDevice);
    const s = createTopologyService({
      client: lab(() => sources), devices: () => devices, target: (d) => ({ ...target, address: d.address }),
      store: memoryTopologyStore(), now: () => clock,
    });
    const events: string[][] = [];
    let step: string[] = [];
    s.on('link', (e: LinkEvent) => step.push(`${e.type} ${e.linkId} ${e.sources.join('+')}`));
    const discover = async (next: Sources) => {
      sources = next;
      clock += 1_000;
      step = [];
      const g = await s.discover();
      events.push(step);
      return g.links.map((l) => `${l.id} = ${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port} ${l.sources.join('+')} @${l.firstSeen}`);
    };
    expect(await discover({ lldp: true, ospf: true })).toEqual(['r1#gi0/1|r2#gi0/1 = r1:Gi0/1 - r2:Gi0/1 lldp+ospf @2000']);
    expect(await discover({ lldp: false, ospf: true })).toEqual(['r1#gi0/1|r2#gi0/1 = r1:Gi0/2 - r2:Gi0/2 ospf @2000']);
    expect(await discover({ lldp: true, ospf: false })).toEqual(['r1#gi0/1|r2#gi0/1~2 = r1:Gi0/1 - r2:Gi0/1 lldp @4000']);
    expect(await discover({ lldp: true, ospf: false })).toEqual(['r1#gi0/1|r2#gi0/1~2 = r1:Gi0/1 - r2:Gi0/1 lldp @4000']);
    expect(events).toEqual([[], [], ['link-up r1#gi0/1|r2#gi0/1 lldp', 'link-down r1#gi0/2|r2#gi0/2 ospf'], []]);
    expect(s.lastRun()!.errors).toEqual([]);
  });
});
