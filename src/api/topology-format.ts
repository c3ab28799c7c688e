import { dotId, dotLinkMarks, graphmlLinkMarks, LINK_GRAPHML_KEYS, xmlText } from '../topology/export.ts';
import type { TopologyGraph } from './services.ts';

/** Graphviz DOT: an undirected graph, ports as edge labels, inferred links dashed. */
export function toDot(g: TopologyGraph): string {
  const lines = ['graph netpulse {', '  node [shape=box];'];
  for (const n of g.nodes) {
    const attrs = [`label=${dotId(n.label)}`];
    if (n.state) attrs.push(`state=${dotId(n.state)}`);
    if (n.kind) attrs.push(`kind=${dotId(n.kind)}`);
    lines.push(`  ${dotId(n.id)} [${attrs.join(', ')}];`);
  }
  for (const l of g.links) {
    const label = [l.sourcePort, l.targetPort].filter(Boolean).join(' - ');
    const attrs = [`protocol=${dotId(l.protocol)}`];
    if (label) attrs.unshift(`label=${dotId(label)}`);
    attrs.push(...dotLinkMarks(l));
    lines.push(`  ${dotId(l.source)} -- ${dotId(l.target)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

const NODE_KEYS = ['label', 'device', 'address', 'sysName', 'kind', 'state'] as const;
const EDGE_KEYS = ['sourcePort', 'targetPort', 'protocol'] as const;

/** GraphML (yEd, Gephi, networkx) */
export function toGraphml(g: TopologyGraph): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...NODE_KEYS.map((k) => `  <key id="${k}" for="node" attr.name="${k}" attr.type="string"/>`),
    ...EDGE_KEYS.map((k) => `  <key id="${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
    ...LINK_GRAPHML_KEYS,
    '  <graph id="netpulse" edgedefault="undirected">',
  ];
  for (const n of g.nodes) {
    out.push(`    <node id="${xmlText(n.id)}">`);
    for (const k of NODE_KEYS) if (n[k] !== undefined) out.push(`      <data key="${k}">${xmlText(String(n[k]))}</data>`);
    out.push('    </node>');
  }
  for (const l of g.links) {
    out.push(`    <edge id="${xmlText(l.id)}" source="${xmlText(l.source)}" target="${xmlText(l.target)}">`);
    for (const k of EDGE_KEYS) if (l[k] !== undefined) out.push(`      <data key="${k}">${xmlText(String(l[k]))}</data>`);
    for (const [k, v] of graphmlLinkMarks(l)) out.push(`      <data key="${k}">${xmlText(v)}</data>`);
    out.push('    </edge>');
  }
  out.push('  </graph>', '</graphml>');
  return out.join('\n') + '\n';
}
