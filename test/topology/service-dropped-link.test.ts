/**
 * Through the service: a link seen by LLDP and OSPF, then by OSPF alone (the link goes on under
 * OSPF's ends, with its id), then by LLDP alone (OSPF down: nothing goes on with it). The LLDP
 * link's ends give the id the dropped link kept, yet the engineer must see both events.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedDevice } from '../../src/model/device.ts';
import type { LinkEvent } from '../../src/topology/diff.ts';
import { createTopologyService } from '../../src/topology/service.ts';
import { memoryTopologyStore } from '../../src/topology/store.ts';
import { target } from './fake-client.ts';
import { routerLab, type Sources } from './fake-routers.ts';

describe('topology service: a link dropped under other ends than its id\'s', () => {
  it('LLDP+OSPF, OSPF only, LLDP only: link-down for the OSPF link, link-up for the new LLDP link', async () => {
    let sources: Sources = { lldp: true, ospf: true };
    let clock = 1_000;
    const devices = [1, 2].map((n) => ({ name: `r${n}`, address: `127.0.1.${n}` }) as ResolvedDevice);
    const s = createTopologyService({
      client: routerLab({ name: 'r', lldp: [1, 1], ospf: [2, 2] }, () => sources), devices: () => devices, target: (d) => ({ ...target, address: d.address }),
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
