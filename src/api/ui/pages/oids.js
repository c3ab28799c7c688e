import { Superseded, api, badge, errorBox, h, latest, toast } from '../lib.js';

const enc = encodeURIComponent;
const link = (n, text) => h('a', { href: `#/oids/${enc(n.oid)}`, title: n.oid }, text ?? n.name);

/** MIB text indents every line after the first: strip the common indent */
function dedent(text) {
  const lines = text.split('\n');
  const indent = Math.min(...lines.slice(1).filter((l) => l.trim()).map((l) => l.match(/^[ \t]*/)[0].length));
  return Number.isFinite(indent) && indent > 0 ? [lines[0], ...lines.slice(1).map((l) => l.slice(indent))].join('\n') : text;
}

function detail(node, children, path) {
  return h('section', { class: 'panel', id: 'oid-detail' },
    h('div', { class: 'crumbs muted' }, path.map((p) => link(p))),
    h('h1', {}, `${node.module}::${node.name}`, badge(node.kind)),
    h('dl', { class: 'kv' },
      h('dt', {}, 'OID'), h('dd', { class: 'mono', id: 'oid-numeric' }, node.oid),
      node.syntax ? [h('dt', {}, 'Syntax'), h('dd', { class: 'mono' }, node.syntax)] : null,
      node.access ? [h('dt', {}, 'Access'), h('dd', {}, node.access)] : null,
      node.status ? [h('dt', {}, 'Status'), h('dd', {}, node.status)] : null,
      node.units ? [h('dt', {}, 'Units'), h('dd', {}, node.units)] : null,
      node.indexes?.length ? [h('dt', {}, 'Index'), h('dd', {}, node.indexes.join(', '))] : null,
      node.augments ? [h('dt', {}, 'Augments'), h('dd', {}, node.augments)] : null,
      node.objects?.length ? [h('dt', {}, 'Objects'), h('dd', {}, node.objects.join(', '))] : null,
      node.enums ? [h('dt', {}, 'Values'), h('dd', {}, Object.entries(node.enums).map(([k, v]) => `${v}(${k})`).join(', '))] : null,
      node.description ? [h('dt', {}, 'Description'), h('dd', {}, h('pre', { class: 'desc' }, dedent(node.description)))] : null),
    h('h2', { style: 'margin-top:14px' }, `Children (${children.length})`),
    childList(children));
}

const CHILD_ROWS = 500;
/** a huge subtree (enterprises, a big table) lists CHILD_ROWS children at a time, more on request */
function childList(children) {
  const list = h('ul', { class: 'plain', id: 'oid-children' });
  const more = h('button', { class: 'secondary', id: 'oid-children-more' });
  let shown = 0;
  const showMore = () => {
    list.append(...children.slice(shown, shown + CHILD_ROWS).map((c) => h('li', {}, link(c), ' ', h('span', { class: 'muted mono' }, c.oid.split('.').pop()), ' ', badge(c.kind), c.childCount ? h('span', { class: 'muted' }, ` ${c.childCount} below`) : '')));
    shown = Math.min(children.length, shown + CHILD_ROWS);
    more.hidden = shown >= children.length;
    more.textContent = `Show ${Math.min(CHILD_ROWS, children.length - shown)} more (${shown} of ${children.length} shown)`;
  };
  more.addEventListener('click', showMore);
  showMore();
  return [list, more];
}

function modulesPanel(modules, reload) {
  const file = h('input', { type: 'file', id: 'mib-file', accept: '.mib,.txt,.my,text/plain' });
  const out = h('span', { id: 'mib-result' });
  const upload = h('form', { class: 'inline', id: 'mib-upload' }, file, h('button', { type: 'submit' }, 'Upload MIB'), out);
  upload.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = file.files?.[0];
    if (!f) return;
    try {
      const m = await api('/api/v1/mibs', { method: 'POST', text: await f.text() });
      toast(`loaded ${m.name}: ${m.nodeCount} nodes`);
      reload();
    } catch (err) {
      out.className = 'error';
      out.textContent = err.body?.errors ? err.body.errors.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message}`).join('; ') : err.message;
    }
  });
  // hundreds of modules: the list stays folded (modules with errors first), open when short
  const sorted = [...modules].sort((a, b) => (b.errors.length > 0) - (a.errors.length > 0) || a.name.localeCompare(b.name));
  const failing = modules.filter((m) => m.errors.length).length;
  return h('section', { class: 'panel', id: 'mib-modules' }, h('h2', {}, `MIB modules (${modules.length})`), upload,
    h('details', { id: 'mib-list', open: modules.length <= 30 },
      h('summary', {}, `${modules.length} modules${failing ? `, ${failing} with errors` : ''}`),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Module'), h('th', {}, 'Nodes'), h('th', {}, 'Source'), h('th', {}, 'Errors'))),
        h('tbody', {}, sorted.map((m) => h('tr', {}, h('td', {}, m.name), h('td', {}, m.nodeCount), h('td', { class: 'muted' }, m.source ?? ''), h('td', { class: 'error' }, m.errors.join('; '))))))));
}

// the search survives moving through the tree (each move re-renders the page)
let lastQuery = '';

export async function oidsPage(key) {
  const el = h('div');
  const results = h('ul', { class: 'plain', id: 'oid-results' });
  const search = h('input', { type: 'search', id: 'oid-search', placeholder: 'ifDescr, IF-MIB::ifTable, 1.3.6.1.2.1.2 or words', style: 'flex:1', value: lastQuery });
  let t;
  // typing, an upload and a refresh can overlap: only the newest answer of each is drawn
  const searches = latest(), details = latest(), moduleLists = latest();
  const runSearch = async () => {
    const q = search.value.trim();
    lastQuery = q;
    if (!q) { searches.cancel(); results.replaceChildren(); return; }
    try {
      const r = await searches((signal) => api(`/api/v1/oids?q=${enc(q)}&limit=100`, { signal }));
      results.replaceChildren(h('li', { class: 'muted' }, `${r.total} match${r.total === 1 ? '' : 'es'}`),
        ...r.items.map((n) => h('li', {}, link(n, `${n.module}::${n.name}`), ' ', h('span', { class: 'muted mono' }, n.oid))));
    } catch (err) { if (!(err instanceof Superseded)) results.replaceChildren(h('li', { class: 'error' }, err.message)); }
  };
  search.addEventListener('input', () => { clearTimeout(t); t = setTimeout(runSearch, 200); });
  /** the node's panel, or undefined when a newer read replaced this one */
  const loadDetail = async () => {
    try {
      const n = await details((signal) => api(`/api/v1/oids/${enc(key || '1.3.6.1.2.1')}`, { signal }));
      return detail(n.node, n.children, n.path);
    } catch (err) { return err instanceof Superseded ? undefined : errorBox(err); }
  };
  let right = await loadDetail();
  const load = async () => {
    let items;
    try { ({ items } = await moduleLists((signal) => api('/api/v1/mibs', { signal }))); } catch (err) { if (err instanceof Superseded) return; throw err; }
    el.querySelector('#mib-modules')?.replaceWith(modulesPanel(items, load));
  };
  el.append(h('h1', {}, 'OID dictionary'),
    h('div', { class: 'tree' }, h('section', { class: 'panel' }, h('div', { class: 'toolbar' }, search), results), right),
    h('section', { id: 'mib-modules' }));
  await Promise.all([load(), lastQuery ? runSearch() : null]);
  // a reset keeps the search box (text, focus) and the selected node: it re-runs the search and re-reads the node;
  // the module list is redrawn only when no MIB file is picked for upload
  const refresh = async () => {
    clearTimeout(t);
    const reloadModules = el.querySelector('#mib-file')?.files?.length ? null : load().catch(() => {});
    const [fresh] = await Promise.all([loadDetail(), runSearch(), reloadModules]);
    if (!fresh) return;
    right.replaceWith(fresh);
    right = fresh;
  };
  return { el, refresh, dispose: () => { clearTimeout(t); searches.cancel(); details.cancel(); moduleLists.cancel(); } };
}
