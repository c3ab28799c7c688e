import { api, ago, badge, errorBox, h, onLive, stateBadge, toast, versionBadge } from '../lib.js';
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

function addForm(credentials, done) {
  const f = h('form', { class: 'inline', id: 'add-device' },
    h('label', {}, 'Name', h('input', { name: 'name', required: true, placeholder: 'core-sw1' })),
    h('label', {}, 'Address', h('input', { name: 'address', required: true, placeholder: '127.0.0.1' })),
    h('label', {}, 'Port', h('input', { name: 'port', type: 'number', value: 161, min: 1, max: 65535 })),
    h('label', {}, 'Credentials', h('select', { name: 'credentials' }, credentials.map((c) => h('option', { value: c.name }, `${c.name} (v${c.version}${c.level ? ' ' + c.level : ''})`)))),
    h('button', { type: 'submit' }, 'Add device'),
    h('span', { class: 'error', id: 'add-error' }));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const d = Object.fromEntries(new FormData(f));
    try {
      await api('/api/v1/devices', { method: 'POST', body: { name: d.name, address: d.address, port: Number(d.port), credentials: d.credentials } });
      toast(`added ${d.name}`);
      done();
    } catch (err) { f.querySelector('#add-error').textContent = err.message; }
  });
  return f;
}

export async function devicesPage() {
  const el = h('div');
  let filter = '';
  async function load() {
    try {
      const [stats, { items }, creds, maint] = await Promise.all([api('/api/v1/stats/snmp-versions'), api('/api/v1/devices'), api('/api/v1/credentials'), devicesInMaintenance()]);
      const rank = (d) => (d.status.state === 'up' ? 2 : d.status.state === 'unknown' ? 1 : 0);
      items.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
      const shown = items.filter((d) => !filter || `${d.name} ${d.address} ${Object.values(d.tags).join(' ')}`.toLowerCase().includes(filter));
      const search = h('input', { type: 'search', placeholder: 'filter devices', value: filter, id: 'device-filter' });
      search.addEventListener('input', () => { filter = search.value.toLowerCase(); load().then(() => { const s = el.querySelector('#device-filter'); s.focus(); s.setSelectionRange(s.value.length, s.value.length); }); });
      el.replaceChildren(
        h('h1', {}, 'Devices ', badge(`${items.length}`)),
        versionsPanel(stats),
        h('section', { class: 'panel' },
          h('div', { class: 'toolbar' }, search),
          h('table', { id: 'device-table' },
            h('thead', {}, h('tr', {}, ['Device', 'Address', 'SNMP', 'State', 'Last poll', 'Last error', 'Tags'].map((t) => h('th', {}, t)))),
            h('tbody', {}, shown.map((d) => h('tr', { class: 'clickable', dataset: { device: d.name }, onclick: () => { location.hash = `#/devices/${encodeURIComponent(d.name)}`; } },
              h('td', {}, h('a', { href: `#/devices/${encodeURIComponent(d.name)}` }, d.name)),
              h('td', { class: 'mono' }, `${d.address}:${d.port}`),
              h('td', {}, versionBadge(d.snmp)),
              h('td', {}, stateBadge(d.status.state), ' ', maintenanceBadge(maint.get(d.name))),
              h('td', {}, ago(d.status.lastPollAt)),
              h('td', { class: 'error' }, d.status.lastError ?? ''),
              h('td', { class: 'muted' }, Object.entries(d.tags).map(([k, v]) => `${k}=${v}`).join(' '))))))),
        h('section', { class: 'panel' }, h('h2', {}, 'Add a device'), addForm(creds.items, load)));
    } catch (err) { el.replaceChildren(errorBox(err)); }
  }
  await load();
  const off = onLive((ev) => { if (ev.type === 'device-state') load(); });
  return { el, dispose: off };
}
