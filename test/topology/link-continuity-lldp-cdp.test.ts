/**
 * An unmanaged neighbour is `lldp:<chassis>` while LLDP reports it and `cdp:<host>` when only CDP
 * does: LLDP stopping or starting on it changes its node, not its cable. The link goes on (id,
 * firstSeen, no events) when the managed end is the same and both protocols name the same box;
 * another box on that port is a new link with its events.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, type TopologyGraph } from '../../src/topology/graph.ts';
import type { CdpNeighbor, DeviceReport, LldpNeighbor } from '../../src/topology/report.ts';
import { StateStore } from '../../src/storage/state/store.ts';
import { stateTopologyStore } from '../../src/topology/store.ts';
import { linkEvents, sw } from './fixtures.ts';

const CHASSIS = '0a:0b:0c:0d:0e:0f';
const LLDP_ID = `lldp:${CHASSIS}#gi1/0/48|sw1#gi0/3`;
const CDP_ID = 'cdp:acc9#gi1/0/48|sw1#gi0/3';

/** a box on one port of sw1 (Gi0/3 unless `on`), by LLDP and/or CDP, with what each protocol says of it */
interface Box { on?: number; lldp?: Partial<LldpNeighbor>; cdp?: Partial<CdpNeighbor> }
const acc9 = {
  lldp: { sysName: 'acc9.branch.example', managementAddresses: ['10.9.0.9'] },
  cdp: { deviceId: 'acc9.branch.example', address: '10.9.0.9' },
};
const both: Box = { lldp: acc9.lldp, cdp: acc9.cdp };
const cdpOnly: Box = { cdp: acc9.cdp };
const lldpOnly: Box = { lldp: acc9.lldp };

function run(...boxes: Box[]): DeviceReport[] {
  const a = sw(1);
  for (const b of boxes) {
    const on = b.on ?? 3;
    if (b.lldp) {
      a.lldp.push({
        localPortNum: on, localIfIndex: on, localPort: `Gi0/${on}`, chassisIdSubtype: 4, chassisId: CHASSIS,
        portIdSubtype: 5, portId: 'Gi1/0/48', portDesc: 'GigabitEthernet1/0/48', managementAddresses: [], ...b.lldp,
      });
    }
    if (b.cdp) a.cdp.push({ localIfIndex: on, deviceId: '', port: 'GigabitEthernet1/0/48', platform: 'cisco WS-C2960X', ...b.cdp });
  }
  return [a];
}

const events = (x: TopologyGraph, y: TopologyGraph) => linkEvents(x, y).sort();
const view = (g: TopologyGraph) => g.links.map((l) => `${l.id} = ${l.a.node}:${l.a.port} - ${l.b.node}:${l.b.port} ${l.sources.join('+')} @${l.firstSeen}`);

/** each run's graph built on the last one; the final links and every run's events */
function discover(runs: Box[][]) {
  let g = buildGraph(run(...runs[0]), 100);
  const all: string[] = [];
  runs.slice(1).forEach((boxes, i) => {
    const next = buildGraph(run(...boxes), 200 + 100 * i, g);
    all.push(...events(g, next));
    g = next;
  });
  return { links: view(g), events: all };
}

describe('LLDP stopping or starting on an unmanaged neighbour that speaks CDP too keeps its link', () => {
  it.each<[string, Box[][], string[]]>([
    ['LLDP disabled on it: CDP alone goes on with the LLDP link', [[both], [cdpOnly]],
      [`${LLDP_ID} = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    ['LLDP off, then on again: one id throughout', [[both], [cdpOnly], [both]],
      [`${LLDP_ID} = lldp:${CHASSIS}:Gi1/0/48 - sw1:Gi0/3 lldp+cdp @100`]],
    ['a CDP-only neighbour starts speaking LLDP: the CDP link goes on', [[cdpOnly], [both]],
      [`${CDP_ID} = lldp:${CHASSIS}:Gi1/0/48 - sw1:Gi0/3 lldp+cdp @100`]],
    ['LLDP on, then off again: one id throughout', [[cdpOnly], [both], [cdpOnly]],
      [`${CDP_ID} = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    ['NX-OS device ID name(serial), the host part of the LLDP sysName', [[{ cdp: { deviceId: 'acc9(FOX1234ABCD)', address: '10.9.0.9' } }], [both]],
      [`${CDP_ID} = lldp:${CHASSIS}:Gi1/0/48 - sw1:Gi0/3 lldp+cdp @100`]],
    ['LLDP alone, then CDP alone with a MAC device ID that is the LLDP chassis ID', [[{ lldp: { sysName: 'acc9' } }], [{ cdp: { deviceId: CHASSIS } }]],
      [`${LLDP_ID} = cdp:${CHASSIS}:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    ['CDP with an empty device ID: the management address LLDP gave', [[lldpOnly], [{ cdp: { address: '10.9.0.9' } }]],
      [`${LLDP_ID} = cdp:10.9.0.9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    ['same name, LLDP gave an IPv6 address and CDP an IPv4 one (not comparable)', [[{ lldp: { sysName: 'acc9', managementAddresses: ['2001:db8::9'] } }], [cdpOnly]],
      [`${LLDP_ID} = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    // the box's own port is compared only when both protocols give an interface name
    ['LLDP named the box\'s port by its MAC only', [[{ lldp: { ...acc9.lldp, portIdSubtype: 3, portId: '0a:0b:0c:0d:0e:30', portDesc: '' } }], [cdpOnly]],
      [`lldp:${CHASSIS}#0a:0b:0c:0d:0e:30|sw1#gi0/3 = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    ['LLDP named the box\'s port by a locally assigned number', [[{ lldp: { ...acc9.lldp, portIdSubtype: 7, portId: '48', portDesc: '' } }], [cdpOnly]],
      [`lldp:${CHASSIS}#48|sw1#gi0/3 = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]],
    ['LLDP named the box\'s port by its alias', [[cdpOnly], [{ lldp: { ...acc9.lldp, portIdSubtype: 1, portId: 'uplink to sw1', portDesc: '' } }]],
      [`${CDP_ID} = lldp:${CHASSIS}:uplink to sw1 - sw1:Gi0/3 lldp @100`]],
  ])('%s', (_, runs, links) => {
    expect(discover(runs)).toEqual({ links, events: [] });
  });
});

describe('sw1 could not read its LLDP table this run', () => {
  it('the box, by CDP alone, goes on with the link, which keeps the LLDP report as stale', () => {
    const g1 = buildGraph(run(both), 100);
    const r = run(cdpOnly);
    r[0].failedTables = ['lldpRemTable'];
    const g2 = buildGraph(r, 200, g1);
    expect(g2.links.map((l) => [l.id, l.b.node, (l.reporters ?? []).map((x) => `${x.source}@${x.lastSeen}${x.stale ? '~' : ''}`)]))
      .toEqual([[LLDP_ID, 'sw1', ['cdp@200', 'lldp@100~']]]);
    expect(events(g1, g2)).toEqual([]);
  });
});

describe('another box on that port is a new link', () => {
  const newLink = (id: string, far: string, old: string) => ({
    links: [`${id} = ${far} - sw1:Gi0/3 cdp @200`], events: [`link-down ${old}`, `link-up ${id}`],
  });
  it.each<[string, Box[][], { links: string[]; events: string[] }]>([
    ['other name, other address', [[both], [{ cdp: { deviceId: 'acc10.branch.example', address: '10.9.0.10' } }]],
      newLink('cdp:acc10#gi1/0/48|sw1#gi0/3', 'cdp:acc10:GigabitEthernet1/0/48', LLDP_ID)],
    ['the same default name, other address', [[{ lldp: { sysName: 'Switch', managementAddresses: ['10.9.0.9'] } }], [{ cdp: { deviceId: 'Switch', address: '10.9.0.10' } }]],
      newLink('cdp:switch#gi1/0/48|sw1#gi0/3', 'cdp:switch:GigabitEthernet1/0/48', LLDP_ID)],
    ['the same host name in another domain', [[{ lldp: { sysName: 'acc9.branch.example' } }], [{ cdp: { deviceId: 'acc9.lab.example' } }]],
      newLink(CDP_ID, 'cdp:acc9:GigabitEthernet1/0/48', LLDP_ID)],
    ['the same address, another name', [[lldpOnly], [{ cdp: { deviceId: 'acc10', address: '10.9.0.9' } }]],
      newLink('cdp:acc10#gi1/0/48|sw1#gi0/3', 'cdp:acc10:GigabitEthernet1/0/48', LLDP_ID)],
    ['a MAC device ID that is not the LLDP chassis ID', [[{ lldp: {} }], [{ cdp: { deviceId: '0a:0b:0c:0d:0e:01' } }]],
      newLink('cdp:0a:0b:0c:0d:0e:01#gi1/0/48|sw1#gi0/3', 'cdp:0a:0b:0c:0d:0e:01:GigabitEthernet1/0/48', LLDP_ID)],
  ])('%s', (_, runs, want) => {
    expect(discover(runs)).toEqual(want);
  });

  it.each<[string, Box[][], string[]]>([
    ['LLDP stops as the cable moves to Gi1/0/47 on the box', [[both], [{ cdp: { ...acc9.cdp, port: 'GigabitEthernet1/0/47' } }]],
      [`link-down ${LLDP_ID}`, 'link-up cdp:acc9#gi1/0/47|sw1#gi0/3']],
    ['LLDP starts as the cable moves to Gi1/0/47 on the box', [[cdpOnly], [{ lldp: { ...acc9.lldp, portId: 'Gi1/0/47', portDesc: 'GigabitEthernet1/0/47' } }]],
      [`link-down ${CDP_ID}`, `link-up lldp:${CHASSIS}#gi1/0/47|sw1#gi0/3`]],
  ])('the same box on another port of its own: %s', (_, runs, want) => {
    expect(discover(runs).events).toEqual(want);
  });

  it('LLDP, CDP alone (the same box), then LLDP alone naming another box: the CDP link goes down, a new one comes up', () => {
    const renamed: Box = { lldp: { sysName: 'acc10.branch.example', managementAddresses: ['10.9.0.10'] } };
    // LLDP's ends give LLDP_ID again, the id the dropped CDP link had kept
    expect(discover([[lldpOnly], [cdpOnly], [renamed]])).toEqual({
      links: [`${LLDP_ID}~2 = lldp:${CHASSIS}:Gi1/0/48 - sw1:Gi0/3 lldp @300`], events: [`link-down ${CDP_ID}`, `link-up ${LLDP_ID}`],
    });
  });

  it('the same box on another port of the managed device: the cable moved', () => {
    const moved = discover([[both], [{ ...cdpOnly, on: 4 }]]);
    expect(moved.events).toEqual([`link-down ${LLDP_ID}`, 'link-up cdp:acc9#gi1/0/48|sw1#gi0/4']);
  });

  it('two boxes behind one port, LLDP stops on the first: only the first goes on', () => {
    const acc10 = { deviceId: 'acc10', address: '10.9.0.10' };
    expect(discover([[both], [cdpOnly, { cdp: acc10 }]])).toEqual({
      links: [`cdp:acc10#gi1/0/48|sw1#gi0/3 = cdp:acc10:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @200`, `${LLDP_ID} = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`],
      events: ['link-up cdp:acc10#gi1/0/48|sw1#gi0/3'],
    });
  });
});

describe('the evidence survives a save and a load', () => {
  it('a graph loaded from the StateStore still carries the LLDP node the CDP one is compared with', async () => {
    const state = new StateStore(':memory:');
    try {
      stateTopologyStore(state).save(buildGraph(run(both), 100));
      const loaded = (await stateTopologyStore(state).load())!;
      const g = buildGraph(run(cdpOnly), 200, loaded);
      expect(view(g)).toEqual([`${LLDP_ID} = cdp:acc9:GigabitEthernet1/0/48 - sw1:Gi0/3 cdp @100`]);
      expect(events(loaded, g)).toEqual([]);
    } finally {
      state.close();
    }
  });
});
