import cytoscape from '/ui/vendor/cytoscape.esm.min.mjs';
import { api, ago, h, onLive, toast } from '../lib.js';

const LAYOUT = { name: 'cose', animate: false, padding: 30, idealEdgeLength: () => 100, nodeRepulsion: () => 60_000, randomize: true };
// cose's own result is as tall or wide as the graph happens to fall: spread it over the visible box so labels stay readable
const layoutIn = (box) => ({ ...LAYOUT, boundingBox: { x1: 0, y1: 0, w: Math.max(300, box.clientWidth - 120), h: Math.max(300, box.clientHeight - 100) } });
const COLORS = { up: '#16a34a', down: '#dc2626', 'snmp-unreachable': '#dc2626', 'auth-failed': '#d97706', unknown: '#9ca3af' };

async function download(format) {
  const res = await api(`/api/v1/topology?format=${format}`, { raw: true });
  const a = h('a', { href: URL.createObjectURL(await res.blob()), download: `netpulse-topology.${format === 'dot' ? 'dot' : 'graphml'}` });
  a.click();
  URL.revokeObjectURL(a.href);
}

export async function topologyPage() {
  const box = h('div', { id: 'cy' });
  const info = h('span', { class: 'muted', id: 'topology-info' });
  let cy;
  async function load() {
    const g = await api('/api/v1/topology');
    info.textContent = `${g.nodes.length} nodes, ${g.links.length} links${g.discoveredAt ? `, discovered ${ago(g.discoveredAt)}` : ''}`;
    const elements = [
      ...g.nodes.map((n) => ({ data: { id: n.id, label: n.label, device: n.device ?? '', color: COLORS[n.state ?? 'unknown'], shape: n.kind === 'router' ? 'round-rectangle' : n.kind === 'switch' ? 'rectangle' : 'ellipse' } })),
      ...g.links.map((l) => ({ data: { id: l.id, source: l.source, target: l.target, sourcePort: l.sourcePort ?? '', targetPort: l.targetPort ?? '', protocol: l.protocol } })),
    ];
    cy?.destroy();
    cy = cytoscape({
      container: box, elements, wheelSensitivity: 0.3,
      style: [
        { selector: 'node', style: { label: 'data(label)', 'background-color': 'data(color)', shape: 'data(shape)', width: 34, height: 34, 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 4 } },
        // each port name at its own end of the link, not one label across the middle
        { selector: 'edge', style: {
          'source-label': 'data(sourcePort)', 'target-label': 'data(targetPort)', 'source-text-offset': 30, 'target-text-offset': 30,
          'font-size': 10, color: '#475569', 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 1,
          'line-color': '#94a3b8', width: 2, 'curve-style': 'bezier' } },
        { selector: 'edge[protocol = "fdb"]', style: { 'line-style': 'dashed' } },
        { selector: ':selected', style: { 'border-width': 3, 'border-color': '#2563eb' } },
      ],
      layout: layoutIn(box),
    });
    cy.on('tap', 'node', (ev) => { const d = ev.target.data('device'); if (d) location.hash = `#/devices/${encodeURIComponent(d)}`; });
    window.__netpulseCy = cy;
  }
  const discover = h('button', { id: 'discover', onclick: async () => {
    discover.disabled = true;
    try { const r = await api('/api/v1/topology/discover', { method: 'POST', body: {} }); toast(`discovery: ${r.nodes} nodes, ${r.links} links in ${r.durationMs} ms`); await load(); } catch (err) { toast(err.message); }
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
  return { el, mounted: () => load().catch((err) => toast(err.message)), dispose: () => { off(); cy?.destroy(); delete window.__netpulseCy; } };
}
