import { SEVERITIES, Superseded, api, ago, clock, coalesced, errorBox, h, latest, onLive, sevBadge, toast } from '../lib.js';

/** the ISO times of a reason in local time (of day, when today: a parent hold lasts seconds) */
const localTimes = (text) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => {
  const ms = Date.parse(iso);
  return clock(ms, { date: clock(ms).slice(0, 10) !== clock(Date.now()).slice(0, 10) });
});

/** silenced now (maintenance, down parent), waiting for its parents (parent hold), or was and was notified when that ended */
function suppressedBadge(a) {
  const s = a.suppressed;
  if (!s) return '';
  if (s.holdUntil && !s.until) {
    return [' ', h('span', { class: 'badge suppressed', dataset: { suppressed: s.kind, held: 'true' }, title: `waiting for the parents' state since ${clock(s.since)}, until ${clock(s.holdUntil)} at the latest` }, localTimes(s.reason))];
  }
  const b = h('span', { class: `badge ${s.until ? '' : 'suppressed'}`, dataset: { suppressed: s.kind }, title: `since ${clock(s.since)}${s.until ? `, until ${clock(s.until)}` : ''}` },
    s.until ? `${s.reason.startsWith('held ') ? 'was held' : 'was silenced'}: ${s.reason}` : `silenced: ${s.reason}`);
  return [' ', b];
}

const ALERT_ROWS = 500;

export async function alertsPage() {
  const el = h('div');
  const state = h('select', { id: 'alert-state' }, ['active', 'open', 'acknowledged', 'cleared', ''].map((s) => h('option', { value: s }, s || 'all')));
  const sev = h('select', { id: 'alert-severity' }, ['', ...SEVERITIES].map((s) => h('option', { value: s }, s || 'any severity')));
  const supp = h('select', { id: 'alert-suppressed' }, [['', 'silenced or not'], ['false', 'not silenced'], ['true', 'silenced only']].map(([v, t]) => h('option', { value: v }, t)));
  const list = h('tbody');
  const lists = latest(); // filter changes, actions and live reloads overlap: only the newest answer is drawn
  async function act(a, action) {
    try { await api(`/api/v1/alerts/${encodeURIComponent(a.id)}/${action}`, { method: 'POST', body: {} }); toast(`${action === 'ack' ? 'acknowledged' : 'cleared'}: ${a.message}`); load(); } catch (err) { toast(err.message); }
  }
  async function load() {
    const q = new URLSearchParams({ limit: String(ALERT_ROWS) });
    if (state.value) q.set('state', state.value);
    if (sev.value) q.set('severity', sev.value);
    if (supp.value) q.set('suppressed', supp.value);
    try {
      const { items } = await lists((signal) => api(`/api/v1/alerts?${q}`, { signal }));
      list.replaceChildren(...(items.length ? items.map((a) => h('tr', { class: `alert-${a.state}`, dataset: { alert: a.id } },
        h('td', {}, sevBadge(a.severity)),
        h('td', {}, a.device ? h('a', { href: `#/devices/${encodeURIComponent(a.device)}` }, a.device) : '—'),
        h('td', {}, a.message, a.flapping ? h('span', { class: 'badge sev-warning' }, 'flapping') : '', suppressedBadge(a), a.count > 1 ? h('span', { class: 'muted' }, ` ×${a.count}`) : ''),
        h('td', {}, a.state, a.acknowledgedBy ? h('div', { class: 'muted' }, `acked by ${a.acknowledgedBy}`) : '', a.clearedBy ? h('div', { class: 'muted' }, `cleared by ${a.clearedBy}`) : ''),
        h('td', { title: clock(a.firstSeen) }, ago(a.firstSeen)), h('td', { title: clock(a.lastSeen) }, ago(a.lastSeen)),
        h('td', {},
          a.state === 'open' ? h('button', { class: 'secondary', dataset: { action: 'ack' }, onclick: () => act(a, 'ack') }, 'Ack') : '',
          a.state !== 'cleared' ? h('button', { class: 'secondary', dataset: { action: 'clear' }, onclick: () => act(a, 'clear') }, 'Clear') : '')))
        : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'no alerts'))]),
        // the API answers the newest ALERT_ROWS: say the list is cut rather than look complete
        items.length >= ALERT_ROWS ? h('tr', { id: 'alerts-truncated' }, h('td', { colspan: 7, class: 'muted' }, `The newest ${ALERT_ROWS} shown; narrow the filters to see older ones.`)) : '');
    } catch (err) { if (!(err instanceof Superseded)) list.replaceChildren(h('tr', {}, h('td', { colspan: 7 }, errorBox(err)))); }
  }
  state.addEventListener('change', load);
  sev.addEventListener('change', load);
  supp.addEventListener('change', load);
  el.append(h('h1', {}, 'Alerts', h('span', { class: 'spacer' }), h('a', { href: '#/rules', id: 'rules-link' }, 'Alert rules')),
    h('section', { class: 'panel' }, h('div', { class: 'toolbar' }, state, sev, supp),
      h('table', { id: 'alerts' }, h('thead', {}, h('tr', {}, ['Severity', 'Device', 'Message', 'State', 'First', 'Last', ''].map((t) => h('th', {}, t)))), list)));
  await load();
  // an alert storm would re-fetch the list per event: at most one a second
  const reload = coalesced(load, 1000);
  const off = onLive((ev) => { if (ev.type === 'alert') reload(); });
  return { el, refresh: reload, dispose: () => { off(); reload.cancel(); lists.cancel(); } };
}

const TRAP_ROWS = 500;

/**
 * The live traps (`received`, oldest first) a traps answer (`items`, newest first) cannot hold, newest first:
 * those of its device filter that it lacks and that are not older than its newest row.
 */
function newerLive(received, items, filter) {
  const shown = new Set(items.map((t) => t.id));
  const newest = items[0]?.time ?? -Infinity;
  const kept = [];
  for (const t of received) {
    if ((filter && t.device !== filter) || t.time < newest || shown.has(t.id)) continue;
    shown.add(t.id);
    kept.unshift(t);
  }
  return kept;
}

export async function trapsPage() {
  const el = h('div');
  const device = h('input', { type: 'search', id: 'trap-device', placeholder: 'device' });
  const body = h('tbody');
  const row = (t) => h('tr', { dataset: { trap: t.id } },
    h('td', { title: clock(t.time) }, ago(t.time)),
    h('td', {}, t.device ? h('a', { href: `#/devices/${encodeURIComponent(t.device)}` }, t.device) : h('span', { class: 'mono' }, t.source)),
    h('td', {}, t.trapName ?? h('span', { class: 'mono' }, t.trapOid)), h('td', {}, `v${t.version}`),
    h('td', {}, t.severity ? sevBadge(t.severity) : ''),
    h('td', { class: 'mono' }, t.varbinds.map((v) => h('div', {}, `${v.name ?? v.oid} = ${v.value}`))));
  const lists = latest(); // a filter change and a reload overlap: only the newest answer is drawn
  // the live traps received since the newest load was asked for: its answer may have been made before them
  let sinceAsked;
  async function load() {
    const filter = device.value.trim();
    const q = new URLSearchParams({ limit: String(TRAP_ROWS) });
    if (filter) q.set('device', filter);
    const received = (sinceAsked = []);
    try {
      const { items } = await lists((signal) => api(`/api/v1/traps?${q}`, { signal }));
      body.replaceChildren(...[...newerLive(received, items, filter), ...items].slice(0, TRAP_ROWS).map(row));
    } catch (err) { if (!(err instanceof Superseded)) body.replaceChildren(h('tr', {}, h('td', { colspan: 6 }, errorBox(err)))); }
    if (sinceAsked === received) sinceAsked = undefined;
  }
  device.addEventListener('change', load);
  el.append(h('h1', {}, 'Traps'), h('section', { class: 'panel' }, h('div', { class: 'toolbar' }, device),
    h('table', { id: 'traps' }, h('thead', {}, h('tr', {}, ['When', 'From', 'Trap', 'Version', 'Severity', 'Varbinds'].map((t) => h('th', {}, t)))), body)));
  await load();
  // a trap storm must not grow the table without end: the newest TRAP_ROWS stay, as a load shows them
  const add = (trap) => {
    body.prepend(row(trap));
    while (body.rows.length > TRAP_ROWS) body.lastElementChild.remove();
  };
  const off = onLive((ev) => {
    if (ev.type !== 'trap') return;
    if (sinceAsked && sinceAsked.push(ev.trap) > TRAP_ROWS) sinceAsked.shift();
    if (!device.value.trim() || ev.trap.device === device.value.trim()) add(ev.trap);
  });
  return { el, refresh: load, dispose: () => { off(); lists.cancel(); } };
}
