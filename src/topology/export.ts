/** The graph in other tools' formats: Graphviz DOT and GraphML. */
import type { TopologyGraph } from './graph.ts';

/** A quoted DOT ID (both DOT exporters): backslash, quote and newline escaped. */
export const dotId = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** characters XML 1.0 cannot carry at all, even as references: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for XML content and attribute values (both GraphML exporters): escaped, unrepresentable characters dropped. */
export const xmlText = (s: string): string => s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ENTITY[c]);

/**
 * How both exporters (CLI and API) mark a stale link, one rule for DOT attributes and GraphML data:
 * `stale` true and `lastSeen` (ISO 8601, UTC) when it was last reported. A current link carries
 * neither (its lastSeen is the discovery's own time).
 */
export function staleMarks(l: { stale?: boolean; lastSeen?: number }): [key: 'stale' | 'lastSeen', value: string][] {
  if (!l.stale) return [];
  const lastSeen = l.lastSeen === undefined ? undefined : new Date(l.lastSeen);
  return lastSeen && !Number.isNaN(lastSeen.getTime()) ? [['stale', 'true'], ['lastSeen', lastSeen.toISOString()]] : [['stale', 'true']];
}

type MarkedLink = { inferred?: boolean; stale?: boolean; lastSeen?: number };

/**
 * How both exporters (CLI and API) mark a link in DOT, one rule: an inferred link (seen in
 * forwarding and ARP tables only, not announced by LLDP or CDP) dashed, then staleMarks.
 * Attributes ready to join; their values need no escaping.
 */
export function dotLinkMarks(l: MarkedLink): string[] {
  return [...(l.inferred ? ['style=dashed'] : []), ...staleMarks(l).map(([k, v]) => `${k}="${v}"`)];
}

/** The same for GraphML data: `inferred` on every edge (true or false), then staleMarks. Keys in LINK_GRAPHML_KEYS. */
export function graphmlLinkMarks(l: MarkedLink): [key: 'inferred' | 'stale' | 'lastSeen', value: string][] {
  return [['inferred', String(l.inferred === true)], ...staleMarks(l)];
}

/** The GraphML <key> lines for graphmlLinkMarks' keys. */
export const LINK_GRAPHML_KEYS = [
  '  <key id="inferred" for="edge" attr.name="inferred" attr.type="boolean"/>',
  '  <key id="stale" for="edge" attr.name="stale" attr.type="boolean"><default>false</default></key>',
  '  <key id="lastSeen" for="edge" attr.name="lastSeen" attr.type="string"/>',
];

export function toDot(g: TopologyGraph): string {
  const lines = ['graph netpulse {', '  node [shape=box];'];
  for (const n of g.nodes) lines.push(`  ${dotId(n.id)} [label=${dotId(n.label)}${n.managed ? '' : ', style=dashed'}];`);
  for (const l of g.links) {
    const attrs = [`taillabel=${dotId(l.a.port ?? '')}`, `headlabel=${dotId(l.b.port ?? '')}`, `label=${dotId(l.sources.join(','))}`];
    attrs.push(...dotLinkMarks(l));
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
    ...LINK_GRAPHML_KEYS,
    '  <graph id="netpulse" edgedefault="undirected">',
  ];
  for (const n of g.nodes) {
    out.push(`    <node id="${xmlText(n.id)}"><data key="label">${xmlText(n.label)}</data><data key="managed">${n.managed}</data>${n.address ? `<data key="address">${xmlText(n.address)}</data>` : ''}</node>`);
  }
  g.links.forEach((l, i) => {
    out.push(`    <edge id="e${i}" source="${xmlText(l.a.node)}" target="${xmlText(l.b.node)}"><data key="srcPort">${xmlText(l.a.port ?? '')}</data><data key="dstPort">${xmlText(l.b.port ?? '')}</data><data key="sources">${xmlText(l.sources.join(','))}</data>${graphmlLinkMarks(l).map(([k, v]) => `<data key="${k}">${xmlText(v)}</data>`).join('')}</edge>`);
  });
  out.push('  </graph>', '</graphml>');
  return out.join('\n') + '\n';
}
