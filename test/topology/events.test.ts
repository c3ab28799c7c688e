import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/topology/graph.ts';
import { diffLinks } from '../../src/topology/diff.ts';
import { lldp, sw } from './fixtures.ts';

/** sw1 - sw2 - sw3 chain by LLDP from both ends, and a server seen only by sw3 */
function chain(opts: { drop12?: boolean; unreachable?: number[] } = {}) {
  const [a, b, c] = [sw(1), sw(2), sw(3)];
  if (!opts.drop12) { lldp(a, 1, b, 2); lldp(b, 2, a, 1); }
  lldp(b, 1, c, 2); lldp(c, 2, b, 1);
  c.lldp.push({ localPortNum: 4, localIfIndex: 4, localPort: 'Gi0/4', chassisIdSubtype: 4, chassisId: '0a:0b:0c:0d:0e:0f', portIdSubtype: 5, portId: 'eth0', sysName: 'server7', managementAddresses: [] });
  const reports = [a, b, c];
  for (const n of opts.unreachable ?? []) {
    const r = reports[n - 1];
    r.unreachable = 'snmp: agent x: get: timeout after 1 retries';
    r.lldp = [];
  }
  return reports;
}

describe('link events', () => {
  const base = buildGraph(chain(), 100);

  it.each([
    ['a link both ends stop reporting', { drop12: true }, ['link-down sw1 Gi0/1 sw2 Gi0/2 lldp']],
    ['an unmanaged neighbour whose only reporter is unreachable (unknown, not down)', { unreachable: [3] }, []],
    ['a managed pair where one reporter is unreachable and the other still sees the link', { unreachable: [1] }, []],
    ['nothing changed', {}, []],
  ])('%s', (_, opts, want) => {
    const g = buildGraph(chain(opts), 200, base);
    const events = diffLinks(base, g).map((e) => `${e.type} ${e.device} ${e.port} ${e.remoteDevice} ${e.remotePort} ${e.sources.join(',')}`);
    expect(events).toEqual(want);
  });

  it('link-up events name the managed end first and carry what a rule matches on', () => {
    const before = buildGraph(chain({ drop12: true }), 100);
    const [e] = diffLinks(before, buildGraph(chain(), 200, before));
    expect(e).toMatchObject({ type: 'link-up', device: 'sw1', port: 'Gi0/1', remoteDevice: 'sw2', remotePort: 'Gi0/2', sources: ['lldp'], inferred: false, time: 200 });
    const unmanaged = diffLinks(buildGraph(chain({ unreachable: [3] }), 50), base).find((x) => x.remoteDevice === 'lldp:0a:0b:0c:0d:0e:0f');
    expect(unmanaged).toMatchObject({ type: 'link-up', device: 'sw3', port: 'Gi0/4', remotePort: 'eth0' });
  });

  it('links of an unreachable device are kept with their old lastSeen and come back without events', () => {
    const g2 = buildGraph(chain({ unreachable: [3] }), 200, base);
    const kept = g2.links.find((l) => l.b.node === 'sw3' && l.a.node === 'lldp:0a:0b:0c:0d:0e:0f');
    expect(kept?.lastSeen).toBe(100);
    expect(g2.nodes.some((n) => n.id === 'lldp:0a:0b:0c:0d:0e:0f')).toBe(true);
    const g3 = buildGraph(chain(), 300, g2);
    expect(diffLinks(g2, g3)).toEqual([]);
    expect(g3.links.every((l) => l.firstSeen === 100 && l.lastSeen === 300)).toBe(true);
  });
});
