/** Which link of this run continues each link of the last run (pure), and their reporters combined. */
import { describe, expect, it } from 'vitest';
import type { LinkSource, TopoLink } from '../../src/topology/graph.ts';
import { linkId } from '../../src/topology/link-id.ts';
import { continuations, eldest } from '../../src/topology/previous-links.ts';
import { combinedReporters } from '../../src/topology/reporters.ts';

/** `sw1:Gi0/1-sw2:Gi0/2 lldp/sw1,ospf/sw2` (a port may be empty); `@n` after a reporter: its lastSeen */
function link(s: string, firstSeen = 1): TopoLink {
  const [ends, reps = ''] = s.split(' ');
  const [a, b] = ends.split('-').map((e) => {
    const [node, port] = e.split(':');
    return port ? { node, port } : { node };
  });
  const reporters = reps.split(',').filter(Boolean).map((x) => {
    const [sd, at] = x.split('@');
    const [source, device] = sd.split('/');
    return { source: source as LinkSource, device, lastSeen: at ? Number(at) : 1 };
  });
  return { id: linkId(a, b), a, b, sources: [...new Set(reporters.map((r) => r.source))], inferred: false, reportedBy: [...new Set(reporters.map((r) => r.device))], reporters, firstSeen, lastSeen: 1 };
}

describe('continuations', () => {
  // current: this run's links; previous: the last run's; want: `previous id -> current id` (itself when nothing continues it)
  it.each<[string, string[], string[], string[]]>([
    ['same ends', ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1'], ['sw1:GigabitEthernet0/1-sw2:Gi0/2 lldp/sw1'], ['sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2']],
    ['LLDP gone, OSPF from the same router on other ends', ['sw1:Gi0/3-sw2:Gi0/4 ospf/sw1'], ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1,ospf/sw1'], ['sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/3|sw2#gi0/4']],
    ['LLDP gone, OSPF now reported by the other router only', ['sw1:Gi0/3-sw2:Gi0/4 ospf/sw2'], ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1,ospf/sw1'], ['sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2']],
    ['LLDP comes to an OSPF-only link', ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1,ospf/sw2'], ['sw1:Gi0/3-sw2: ospf/sw2'], ['sw1#gi0/3|sw2# -> sw1#gi0/1|sw2#gi0/2']],
    ['LLDP only, other ends: not continued', ['sw1:Gi0/3-sw2:Gi0/4 lldp/sw1'], ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1'], ['sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2']],
    ['OSPF, another pair: not continued', ['sw1:Gi0/3-sw3:Gi0/4 ospf/sw1'], ['sw1:Gi0/1-sw2:Gi0/2 ospf/sw1'], ['sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2']],
    ['a link that has its own last-run link is not taken over', ['sw1:Gi0/3-sw2:Gi0/4 ospf/sw1'], ['sw1:Gi0/3-sw2:Gi0/4 ospf/sw1', 'sw1:Gi0/1-sw2:Gi0/2 lldp/sw1,ospf/sw1'],
      ['sw1#gi0/3|sw2#gi0/4 -> sw1#gi0/3|sw2#gi0/4', 'sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2']],
    ['two last-run links on one: grouped', ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1'], ['sw1:Gi0/1-sw2:Gi0/2 lldp/sw1', 'sw1:GigabitEthernet0/1-sw2:GigabitEthernet0/2 cdp/sw2'],
      ['sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2', 'sw1#gi0/1|sw2#gi0/2 -> sw1#gi0/1|sw2#gi0/2']],
  ])('%s', (_, current, previous, want) => {
    const cur = new Map(current.map((s) => { const l = link(s); return [l.id, l]; }));
    const groups = continuations(cur, previous.map((s) => link(s)));
    expect([...groups].flatMap(([key, olds]) => olds.map((p) => `${p.id} -> ${key}`)).sort()).toEqual([...want].sort());
  });

  it('eldest: the first seen, then the least id', () => {
    expect(eldest([link('sw1:b-sw2:x', 5), link('sw1:c-sw2:x', 3), link('sw1:a-sw2:x', 3)]).id).toBe('sw1#a|sw2#x');
  });
});

describe('combinedReporters', () => {
  it.each<[string, string[], string[]]>([
    ['each link\'s reporters', ['sw1:a-sw2:b lldp/sw1@5', 'sw1:a-sw2:b cdp/sw2@4'], ['lldp/sw1@5', 'cdp/sw2@4']],
    ['one source and device once, at its latest', ['sw1:a-sw2:b lldp/sw1@5', 'sw1:a-sw2:b lldp/sw1@7,cdp/sw2@4'], ['lldp/sw1@7', 'cdp/sw2@4']],
  ])('%s', (_, links, want) => {
    expect(combinedReporters(links.map((s) => link(s))).map((r) => `${r.source}/${r.device}@${r.lastSeen}`)).toEqual(want);
  });
});
