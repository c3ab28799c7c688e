/**
 * Through the service: a link seen by LLDP and OSPF, then by OSPF alone (the link goes on under
 * OSPF's ends, with its id), then by LLDP alone (OSPF down: nothing goes on with it). The LLDP
 * link's ends give the id the dropped link kept, yet the engineer must see both events.
 */
import { describe, expect, it } from 'vitest';
import { routerService, type Sources } from './fake-routers.ts';

describe('topology service: a link dropped under other ends than its id\'s', () => {
  it('LLDP+OSPF, OSPF only, LLDP only: link-down for the OSPF link, link-up for the new LLDP link', async () => {
    const lab = routerService({ name: 'r', lldp: [1, 1], ospf: [2, 2] });
    const events: string[][] = [];
    const discover = async (next: Sources) => {
      const { graph, events: step } = await lab.discover(next);
      events.push(step.map((e) => `${e.type} ${e.linkId} ${e.sources.join('+')}`));
      return graph.links.map((l) => `${l.id} = ${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port} ${l.sources.join('+')} @${l.firstSeen}`);
    };
    expect(await discover({ lldp: true, ospf: true })).toEqual(['r1#gi0/1|r2#gi0/1 = r1:Gi0/1 - r2:Gi0/1 lldp+ospf @2000']);
    expect(await discover({ lldp: false, ospf: true })).toEqual(['r1#gi0/1|r2#gi0/1 = r1:Gi0/2 - r2:Gi0/2 ospf @2000']);
    expect(await discover({ lldp: true, ospf: false })).toEqual(['r1#gi0/1|r2#gi0/1~2 = r1:Gi0/1 - r2:Gi0/1 lldp @4000']);
    expect(await discover({ lldp: true, ospf: false })).toEqual(['r1#gi0/1|r2#gi0/1~2 = r1:Gi0/1 - r2:Gi0/1 lldp @4000']);
    expect(events).toEqual([[], [], ['link-up r1#gi0/1|r2#gi0/1 lldp', 'link-down r1#gi0/2|r2#gi0/2 ospf'], []]);
    expect(lab.service.lastRun()!.errors).toEqual([]);
  });
});
