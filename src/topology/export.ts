/** The graph in other tools' formats: Graphviz DOT and GraphML. */
import type { TopologyGraph } from './graph.ts';

const dotId = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toDot(g: TopologyGraph): string {
  const lines = ['graph netpulse {', '  node [shape=box];'];
  for (const n of g.nodes) lines.push(`  ${dotId(n.id)} [label=${dotId(n.label)}${n.managed ? '' : ', style=dashed'}];`);
  for (const l of g.links) {
    const attrs = [`taillabel=${dotId(l.a.port ?? '')}`, `headlabel=${dotId(l.b.port ?? '')}`, `label=${dotId(l.sources.join(','))}`];
    if (l.inferred) attrs.push('style=dashed');
    lines.push(`  ${dotId(l.a.node)} -- ${dotId(l.b.node)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function toGraphml(g: TopologyGraph): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    '  <key id="managed" for="node" attr.name="managed" attr.type="boolean"/>',
    '  <key id="address" for="node" attr.name="address" attr.type="string"/>',
    '  <key id="srcPort" for="edge" attr.name="sourcePort" attr.type="string"/>',
    '  <key id="dstPort" for="edge" attr.name="targetPort" attr.type="string"/>',
    '  <key id="sources" for="edge" attr.name="sources" attr.type="string"/>',
    '  <key id="inferred" for="edge" attr.name="inferred" attr.type="boolean"/>',
    '  <graph id="netpulse" edgedefault="undirected">',
  ];
  for (const n of g.nodes) {
    out.push(`    <node id="${xml(n.id)}"><data key="label">${xml(n.label)}</data><data key="managed">${n.managed}</data>${n.address ? `<data key="address">${xml(n.address)}</data>` : ''}</node>`);
  }
  g.links.forEach((l, i) => {
    out.push(`    <edge id="e${i}" source="${xml(l.a.node)}" target="${xml(l.b.node)}"><data key="srcPort">${xml(l.a.port ?? '')}</data><data key="dstPort">${xml(l.b.port ?? '')}</data><data key="sources">${xml(l.sources.join(','))}</data><data key="inferred">${l.inferred}</data></edge>`);
  });
  out.push('  </graph>', '</graphml>');
  return out.join('\n') + '\n';
}
