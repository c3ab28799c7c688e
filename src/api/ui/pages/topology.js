import cytoscape from '/ui/vendor/cytoscape.esm.min.mjs';
import { api, ago, clock, coalesced, h, onLive, toast } from '../lib.js';

const LAYOUT = { name: 'cose', animate: false, padding: 30, idealEdgeLength: () => 100, nodeRepulsion: () => 60_000, randomize: true };
// cose's own result is as tall or wide as the graph happens to fall: spread it over the visible box so labels stay readable
const layoutIn = (box) => ({ ...LAYOUT, boundingBox: { x1: 0, y1: 0, w: Math.max(300, box.clientWidth - 120), h: Math.max(300, box.clientHeight - 100) } });
const COLORS = { up: '#16a34a', down: '#dc2626', 'snmp-unreachable': '#dc2626', 'auth-failed': '#d97706', unknown: '#9ca3af' };

const STYLE = [
  { selector: 'node', style: { label: 'data(label)', 'background-color': 'data(color)', shape: 'data(shape)', width: 34, height: 34, 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 4 } },
  // each port name at its own end of the link, not one label across the middle
  { selector: 'edge', style: {
    'source-label': 'data(sourcePort)', 'target-label': 'data(targetPort)', 'source-text-offset': 30, 'target-text-offset': 30,
    'font-size': 10, color: '#475569', 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 1,
    'line-color': '#94a3b8', width: 2, 'curve-style': 'bezier' } },
  { selector: 'edge[?inferred]', style: { 'line-style': 'dashed' } },
  // kept from an earlier discovery (its reporters could not be read): state unknown, greyed
  { selector: 'edge[?stale]', style: { 'line-color': '#d1d5db', opacity: 0.6, color: '#9ca3af' } },
  { selector: ':selected', style: { 'border-width': 3, 'border-color': '#2563eb' } },
];
const nodeData = (n) => ({ id: n.id, label: n.label, device: n.device ?? '', color: COLORS[n.state ?? 'unknown'] ?? COLORS.unknown, shape: n.kind === 'router' ? 'round-rectangle' : n.kind === 'switch' ? 'rectangle' : 'ellipse' });
// forwarding-table guesses (fdb, arp) are dashed: the API's `inferred`, else a link only those protocols report
const GUESSES = new Set(['fdb', 'arp']);
const isInferred = (l) => l.inferred ?? l.protocol.split(',').every((p) => GUESSES.has(p));
const linkData = (l) => ({
  id: l.id, source: l.source, target: l.target, sourcePort: l.sourcePort ?? '', targetPort: l.targetPort ?? '', protocol: l.protocol,
  inferred: isInferred(l), stale: l.stale === true, lastSeen: l.lastSeen, reporters: l.reporters ?? [],
});
const staleTitle = (lastSeen) => `not seen since ${clock(lastSeen)} (${ago(lastSeen)}): its devices could not be read, state unknown`;
const reporterLine = (r) => `${r.device} by ${r.source.toUpperCase()}, last seen ${clock(r.lastSeen)}${r.stale ? ' (stale: could not be read this time)' : ''}`;
/** a link's hover text: since when a stale one was last seen, then which device reports it by which source */
function linkTitle(d) {
  const lines = d.stale ? [staleTitle(d.lastSeen)] : [];
  if (d.reporters.length) lines.push('reported by:', ...d.reporters.map(reporterLine));
  return lines.join('\n');
}
const JITTER = 60;
const jitter = () => (Math.random() - 0.5) * JITTER;

/**
 * Brings the drawn graph to `g` in place: changed elements get their new data, gone ones go, new nodes
 * land next to the neighbours already drawn (else in the middle of the view). Pan, zoom, the other
 * nodes' positions and the selection of what is still there stay as they are.
 */
function updateGraph(cy, g) {
  const nodes = new Map(g.nodes.map((n) => [n.id, nodeData(n)]));
  const links = new Map(g.links.map((l) => [l.id, linkData(l)]));
  const selected = new Set(cy.$(':selected').map((e) => e.id()));
  // each node's neighbours, built once: new nodes are placed next to those already drawn
  const neighbours = new Map();
  const meet = (a, b) => { if (!neighbours.has(a)) neighbours.set(a, []); neighbours.get(a).push(b); };
  for (const l of g.links) { meet(l.source, l.target); meet(l.target, l.source); }
  cy.batch(() => {
    // an edge's ends cannot be changed in place: one whose ends moved is drawn anew
    cy.elements().filter((e) => {
      const d = (e.isNode() ? nodes : links).get(e.id());
      return !d || (e.isEdge() && (d.source !== e.data('source') || d.target !== e.data('target')));
    }).remove();
    const view = cy.extent();
    const added = [];
    for (const d of nodes.values()) {
      const old = cy.getElementById(d.id);
      if (old.nonempty()) { old.data(d); continue; }
      const near = (neighbours.get(d.id) ?? []).map((id) => cy.getElementById(id)).filter((n) => n.nonempty());
      const at = near.length
        ? { x: near.reduce((s, n) => s + n.position('x'), 0) / near.length, y: near.reduce((s, n) => s + n.position('y'), 0) / near.length }
        : { x: (view.x1 + view.x2) / 2, y: (view.y1 + view.y2) / 2 };
      added.push({ group: 'nodes', data: d, position: { x: at.x + jitter(), y: at.y + jitter() } });
    }
    for (const d of links.values()) {
      if (!nodes.has(d.source) || !nodes.has(d.target)) continue; // a link to a node the graph lacks cannot be drawn
      const old = cy.getElementById(d.id);
      if (old.nonempty()) old.data(d);
      else added.push({ group: 'edges', data: d });
    }
    cy.add(added).filter((e) => selected.has(e.id())).select();
  });
}

async function download(format) {
  const res = await api(`/api/v1/topology?format=${format}`, { raw: true });
  const a = h('a', { href: URL.createObjectURL(await res.blob()), download: `netpulse-topology.${format === 'dot' ? 'dot' : 'graphml'}` });
  a.click();
  URL.revokeObjectURL(a.href);
}

export async function topologyPage() {
  const box = h('div', { id: 'cy' });
  const info = h('span', { class: 'muted', id: 'topology-info' });
  let cy, disposed = false, drawn = 0;
  // the first graph with nodes gets a layout fitted to the box; later ones are merged into what is drawn
  async function load() {
    const g = await api('/api/v1/topology');
    if (disposed) return; // the page is gone (only `reload` calls this: never two at a time)
    info.textContent = `${g.nodes.length} nodes, ${g.links.length} links${g.discoveredAt ? `, discovered ${ago(g.discoveredAt)}` : ''}`;
    if (!cy) {
      cy = cytoscape({ container: box, wheelSensitivity: 0.3, style: STYLE });
      cy.on('tap', 'node', (ev) => { const d = ev.target.data('device'); if (d) location.hash = `#/devices/${encodeURIComponent(d)}`; });
      // a canvas has no per-edge title: the box carries the hovered link's
      cy.on('mouseover', 'edge', (ev) => { box.title = linkTitle(ev.target.data()); });
      cy.on('mouseout', 'edge', () => { box.title = ''; });
      window.__netpulseCy = cy;
    }
    const wasEmpty = cy.nodes().empty();
    updateGraph(cy, g);
    if (wasEmpty && cy.nodes().nonempty()) cy.layout(layoutIn(box)).run();
    box.dataset.drawn = String(++drawn); // how many graphs the map has taken in: lets a test wait for the next
  }
  const loadOrToast = () => load().catch((err) => { if (!disposed) toast(`topology: ${err.message}`); });
  // resets and discoveries in quick succession re-fetch at most once a second, never twice at a time
  const reload = coalesced(loadOrToast, 1000);
  const discover = h('button', { id: 'discover', onclick: async () => {
    discover.disabled = true;
    try { const r = await api('/api/v1/topology/discover', { method: 'POST', body: {} }); toast(`discovery: ${r.nodes} nodes, ${r.links} links in ${r.durationMs} ms`); reload(); } catch (err) { toast(err.message); }
    discover.disabled = false;
  } }, 'Discover now');
  const el = h('div', {}, h('h1', {}, 'Topology'),
    h('div', { class: 'toolbar' }, discover,
      h('button', { class: 'secondary', onclick: () => cy?.layout(layoutIn(box)).run() }, 'Re-layout'),
      h('button', { class: 'secondary', onclick: () => cy?.fit(undefined, 30) }, 'Fit'),
      h('button', { class: 'secondary', id: 'export-dot', onclick: () => download('dot') }, 'DOT'),
      h('button', { class: 'secondary', id: 'export-graphml', onclick: () => download('graphml') }, 'GraphML'),
      info),
    box);
  const off = onLive((ev) => {
    if (ev.type === 'device-state' && cy) cy.nodes().filter((n) => n.data('device') === ev.device).data('color', COLORS[ev.to] ?? COLORS.unknown);
  });
  return {
    el, mounted: reload, refresh: reload,
    dispose: () => { disposed = true; off(); reload.cancel(); cy?.destroy(); if (window.__netpulseCy === cy) delete window.__netpulseCy; },
  };
}
