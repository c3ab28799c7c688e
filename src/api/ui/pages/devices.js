import { api, ago, badge, coalesced, h, keptView, onLive, shadowsBadge, stateBadge, tagsText, versionBadge } from '../lib.js';
import { deviceForm } from '../device-form.js';
import { devicesInMaintenance, maintenanceBadge } from './maintenance.js';

function splitLine(s) {
  return h('div', { class: 'split' }, h('span', { class: 'ok' }, `${s.ok} ok`), ' · ', h('span', { class: 'failing' }, `${s.failing} failing`), s.unknown ? ` · ${s.unknown} pending` : '');
}

function versionsPanel(stats) {
  const card = (label, s, id) => h('div', { class: 'card', dataset: { version: id } }, h('div', { class: 'muted' }, label), h('div', { class: 'n' }, s.count), splitLine(s));
  const table = (title, map) => {
    const rows = Object.entries(map);
    if (!rows.length) return null;
    return h('div', {}, h('h2', {}, title), h('table', {}, h('tbody', {}, rows.map(([k, s]) => h('tr', {}, h('td', {}, k), h('td', {}, s.count), h('td', {}, splitLine(s)))))));
  };
  return h('section', { class: 'panel', id: 'versions' },
    h('h2', {}, 'SNMP versions and their counts'),
    h('div', { class: 'cards' }, card('Total', stats.total, 'total'), card('SNMP v1', stats.v1, 'v1'), card('SNMP v2c', stats.v2c, 'v2c'), card('SNMP v3', stats.v3, 'v3'),
      stats.unresolved.count ? card('No credentials', stats.unresolved, 'unresolved') : null),
    h('div', { class: 'grid', style: 'margin-top:12px' },
      table('v3 by security level', stats.v3.byLevel), table('v3 by auth protocol', stats.v3.byAuthProtocol), table('v3 by priv protocol', stats.v3.byPrivProtocol)));
}

const PAGE_ROWS = 500;

export async function devicesPage() {
  let filter = '';
  let shownData; // the last fetched list: the filter narrows it without asking the API again
  // built once and kept in place: a reload (live state changes, a reset) leaves what is typed, and the focus, where they are
  let add;
  const count = badge('');
  const versions = h('div'); // holds the versions panel, redrawn by each load
  const rows = h('tbody');
  const search = h('input', { type: 'search', placeholder: 'filter devices', id: 'device-filter' });
  // thousands of devices: PAGE_ROWS rows at a time (the filter searches them all), more on request
  let rowLimit = PAGE_ROWS;
  const more = h('button', { class: 'secondary', id: 'device-more', hidden: true, onclick: () => { rowLimit += PAGE_ROWS; drawRows(); } });
  search.addEventListener('input', () => { filter = search.value.toLowerCase(); rowLimit = PAGE_ROWS; drawRows(); });
  const addPanel = h('section', { class: 'panel' }, h('h2', {}, 'Add a device'));
  const view = keptView(h('h1', {}, 'Devices ', count), versions,
    h('section', { class: 'panel' },
      h('div', { class: 'toolbar' }, search),
      h('table', { id: 'device-table' },
        h('thead', {}, h('tr', {}, ['Device', 'Address', 'SNMP', 'State', 'Last poll', 'Last error', 'Tags'].map((t) => h('th', {}, t)))),
        rows),
      more),
    addPanel);

  function drawRows() {
    if (!shownData) return;
    const { items, maint } = shownData;
    const matching = items.filter((d) => !filter || `${d.name} ${d.address} ${Object.values(d.tags).join(' ')}`.toLowerCase().includes(filter));
    const shown = matching.slice(0, rowLimit);
    more.hidden = matching.length <= rowLimit;
    more.textContent = `Show ${Math.min(PAGE_ROWS, matching.length - rowLimit)} more (${shown.length} of ${matching.length} shown)`;
    rows.replaceChildren(...shown.map((d) => h('tr', { class: 'clickable', dataset: { device: d.name }, onclick: () => { location.hash = `#/devices/${encodeURIComponent(d.name)}`; } },
      h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(d.name)}` }, d.name),
        d.shadows ? [' ', shadowsBadge('device')] : null),
      h('td', { class: 'mono' }, `${d.address}:${d.port}`),
      h('td', {}, versionBadge(d.snmp)),
      h('td', {}, stateBadge(d.status.state), ' ', maintenanceBadge(maint.get(d.name))),
      h('td', {}, ago(d.status.lastPollAt)),
      h('td', { class: 'error' }, d.status.lastError ?? ''),
      h('td', { class: 'muted' }, tagsText(d.tags)))));
  }

  async function load() {
    try {
      const [stats, { items }, creds, maint] = await Promise.all([api('/api/v1/stats/snmp-versions'), api('/api/v1/devices'), api('/api/v1/credentials'), devicesInMaintenance()]);
      const rank = (d) => (d.status.state === 'up' ? 2 : d.status.state === 'unknown' ? 1 : 0);
      items.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
      if (add) add.setCredentials(creds.items);
      else addPanel.append((add = deviceForm({ credentials: creds.items, onSaved: () => { add.reset(); reload(); } })).el);
      shownData = { items, maint };
      count.textContent = String(items.length);
      versions.replaceChildren(versionsPanel(stats));
      drawRows();
      view.shown();
    } catch (err) { view.failed(err); }
  }
  // with thousands of devices changing state, a re-fetch per event would hammer the API: at most one a second
  const reload = coalesced(load, 1000);
  await load();
  const off = onLive((ev) => { if (ev.type === 'device-state') reload(); });
  return { el: view.el, refresh: reload, dispose: () => { off(); reload.cancel(); } };
}
