import { Superseded, api, ago, clock, coalesced, confirmDialog, errorBox, h, latest, onLive, shadowsBadge, si, stateBadge, tagsText, toast, versionBadge } from '../lib.js';
import { lineChart } from '../chart.js';
import { availabilityPanel } from '../availability.js';
import { devicesInMaintenance, maintenanceBadge } from './maintenance.js';
import { deviceForm, filterText } from '../device-form.js';

const enc = encodeURIComponent;
const OPER = { 1: 'up', 2: 'down', 3: 'testing', 5: 'dormant', 6: 'notPresent', 7: 'lowerLayerDown' };

const RANGES = { '1h': { from: '-1h' }, '6h': { from: '-6h', step: '2m' }, '24h': { from: '-24h', step: '5m' }, '7d': { from: '-7d', step: '30m' } };
let range = '1h';
/** devices the API refused to change with 409 although their `origin` said api (a fallback): their Edit shows why instead of a form */
const readOnlyDevices = new Map();

async function series(id, measurement, fields, tags, signal) {
  const q = new URLSearchParams({ measurement, field: fields.join(','), ...RANGES[range], ...tags });
  return (await api(`/api/v1/devices/${enc(id)}/series?${q}`, { signal })).series;
}
const line = (s, field, label, color) => ({ label, color, points: (s?.points ?? []).map((p) => [p.time, p.values[field]]) });

function snmpInfo(snmp) {
  if (!snmp) return 'credential profile missing';
  if (snmp.version !== '3') return `SNMP v${snmp.version} (profile ${snmp.name})`;
  return `SNMP v3 ${snmp.level}, user ${snmp.user}${snmp.authProtocol ? `, auth ${snmp.authProtocol}` : ''}${snmp.privProtocol ? `, priv ${snmp.privProtocol}` : ''} (profile ${snmp.name})`;
}

export async function devicePage(id) {
  // the heading and the rest are redrawn by each reload; the edit panel between them stays in place
  const head = h('div');
  const body = h('div');
  let selected;
  let timer;
  const charts = h('div', { class: 'grid', id: 'charts' });
  const availability = availabilityPanel(id);
  // range changes, interface clicks, saves and live reloads overlap: only the newest answers are drawn
  const details = latest(), chartReads = latest();
  const rangeSelect = h('select', { id: 'chart-range', title: 'chart period' }, Object.keys(RANGES).map((r) => h('option', { value: r, selected: r === range }, `last ${r}`)));
  rangeSelect.addEventListener('change', () => { range = rangeSelect.value; load(); });
  // the edit panel outlives the page's reloads (live state, the 60 s refresh): what is typed stays
  const editPanel = h('section', { class: 'panel', id: 'device-edit', hidden: true });
  const readOnlyNote = (message) => [h('h2', {}, 'Edit'),
    h('p', { id: 'device-readonly' }, `${id} is defined in the config file and cannot be changed here: edit it there and reload netpulse.`),
    h('p', { class: 'muted' }, message)];
  async function openEdit(device) {
    if (!editPanel.hidden) { editPanel.hidden = true; return; }
    editPanel.hidden = false;
    if (readOnlyDevices.has(id)) { editPanel.replaceChildren(...readOnlyNote(readOnlyDevices.get(id))); return; }
    try {
      const creds = await api('/api/v1/credentials');
      const form = deviceForm({
        device, credentials: creds.items,
        onSaved: () => { editPanel.hidden = true; editPanel.replaceChildren(); load(); },
        onConflict: (err) => { readOnlyDevices.set(id, err.message); editPanel.replaceChildren(...readOnlyNote(err.message)); },
      });
      editPanel.replaceChildren(h('h2', {}, 'Edit'), form.el);
      form.el.querySelector('input[name=address]').focus();
    } catch (err) { editPanel.replaceChildren(errorBox(err)); }
  }

  async function drawCharts(detail) {
    const ifName = selected ?? detail.interfaces[0]?.tags.ifName;
    const period = range;
    let icmp, iface;
    try {
      [icmp, iface] = await chartReads((signal) => Promise.all([
        series(id, 'icmp', ['rtt_avg_ms', 'rtt_max_ms', 'loss_pct'], {}, signal),
        ifName ? series(id, 'snmp_interface', ['in_bps', 'out_bps', 'in_errors_ps', 'out_errors_ps'], { ifName }, signal) : [],
      ]));
    } catch (err) { if (err instanceof Superseded) return; throw err; }
    charts.replaceChildren(
      lineChart({ title: `Traffic ${ifName ?? ''} (bit/s)`, unit: 'b/s', lines: [line(iface[0], 'in_bps', 'in', '#2563eb'), line(iface[0], 'out_bps', 'out', '#16a34a')] }),
      lineChart({ title: 'ICMP latency (ms)', unit: 'ms', lines: [line(icmp[0], 'rtt_avg_ms', 'avg', '#7c3aed'), line(icmp[0], 'rtt_max_ms', 'max', '#c4b5fd')] }),
      lineChart({ title: 'ICMP loss (%)', unit: '%', lines: [line(icmp[0], 'loss_pct', 'loss', '#dc2626')] }),
      lineChart({ title: `Errors ${ifName ?? ''} (/s)`, unit: '/s', lines: [line(iface[0], 'in_errors_ps', 'in', '#ea580c'), line(iface[0], 'out_errors_ps', 'out', '#a16207')] }),
    );
    charts.dataset.range = period; // the period the drawn charts show: lets a test wait for them
  }

  async function load() {
    let detail, neighbors, maint;
    try {
      [detail, neighbors, maint] = await details((signal) => Promise.all([api(`/api/v1/devices/${enc(id)}`, { signal }),
        api(`/api/v1/devices/${enc(id)}/neighbors`, { signal }).catch(() => ({ neighbors: [] })), devicesInMaintenance()]));
    } catch (err) {
      if (!(err instanceof Superseded)) { head.replaceChildren(); body.replaceChildren(errorBox(err)); }
      return;
    }
    const d = detail.device, st = d.status, sys = detail.recent.system?.values ?? {}, icmp = detail.recent.icmp?.values;
    const del = h('button', { class: 'danger', id: 'delete-device', onclick: async () => {
      if (!(await confirmDialog(`Remove the device "${d.name}"? netpulse stops polling it.`, 'Remove'))) return;
      try { await api(`/api/v1/devices/${enc(d.name)}`, { method: 'DELETE' }); toast(`removed ${d.name}`); location.hash = '#/devices'; } catch (err) { toast(err.message); }
    } }, 'Remove');
    const edit = h('button', { class: 'secondary', id: 'edit-device', onclick: () => openEdit(d) }, 'Edit');
    const removeHidden = h('button', { class: 'danger', id: 'remove-hidden-device', onclick: async () => {
      if (!(await confirmDialog(`Remove the API-created device "${d.name}" this config device hides? It is deleted for good; the config device stays.`, 'Remove'))) return;
      try { await api(`/api/v1/devices/${enc(d.name)}?hidden=true`, { method: 'DELETE' }); toast(`removed the hidden API copy of ${d.name}`); await load(); } catch (err) { toast(err.message); }
    } }, 'remove the hidden API copy');
    // config-file devices cannot be changed through the API: say so instead of offering buttons that answer 409
    const actions = d.origin === 'config'
      ? [h('span', { class: 'muted', id: 'device-origin', title: 'edit the config file and reload netpulse to change it' }, 'defined in the config file'),
        ...(d.shadows ? [shadowsBadge('device', { id: 'device-shadows' }), removeHidden] : [])]
      : [edit, del];
    head.replaceChildren(h('h1', {}, d.name, stateBadge(st.state), versionBadge(d.snmp), maintenanceBadge(maint.get(d.name)), h('span', { class: 'spacer' }), ...actions));
    body.replaceChildren(
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Device'), h('dl', { class: 'kv' },
          h('dt', {}, 'Address'), h('dd', { class: 'mono' }, `${d.address}:${d.port}`),
          h('dt', {}, 'SNMP'), h('dd', {}, snmpInfo(d.snmp)),
          h('dt', {}, 'sysName'), h('dd', {}, sys.sys_name ?? '—'),
          h('dt', {}, 'sysDescr'), h('dd', {}, sys.sys_descr ?? '—'),
          h('dt', {}, 'Location'), h('dd', {}, sys.sys_location ?? '—'),
          h('dt', {}, 'Uptime'), h('dd', {}, typeof sys.uptime_ticks === 'number' ? `${(sys.uptime_ticks / 8_640_000).toFixed(1)} days` : '—'),
          h('dt', {}, 'Profiles'), h('dd', {}, `${d.profiles.join(', ')} every ${d.intervalMs / 1000}s`),
          h('dt', {}, 'Tags'), h('dd', {}, tagsText(d.tags) || '—'),
          h('dt', {}, 'Parents'), h('dd', { id: 'device-parents' }, d.parents?.length ? d.parents.map((p, i) => [i ? ', ' : '', h('a', { href: `#/devices/${enc(p)}` }, p)]) : '—'),
          h('dt', {}, 'Interface filter'), h('dd', { id: 'device-filter-text' }, filterText(d.interfaces)))),
        h('section', { class: 'panel' }, h('h2', {}, 'Polling'), h('dl', { class: 'kv', id: 'poll-status' },
          h('dt', {}, 'State'), h('dd', {}, stateBadge(st.state), st.since ? ` since ${ago(st.since)}` : ''),
          h('dt', {}, 'Last poll'), h('dd', {}, `${ago(st.lastPollAt)}${st.lastPollDurationMs !== undefined ? ` (${st.lastPollDurationMs} ms)` : ''}`),
          h('dt', {}, 'Last success'), h('dd', {}, ago(st.lastSuccessAt)),
          h('dt', {}, 'Failures'), h('dd', {}, `${st.consecutiveFailures ?? 0} in a row, ${st.missedPolls} missed polls`),
          h('dt', {}, 'ICMP'), h('dd', {}, icmp ? `${si(icmp.rtt_avg_ms, 'ms')} avg, ${icmp.loss_pct}% loss` : '—'),
          h('dt', {}, 'Last error'), h('dd', { class: 'error' }, st.lastError ?? '—')),
          st.recentErrors?.length ? h('ul', { class: 'plain', id: 'recent-errors' }, st.recentErrors.map((e) => h('li', {}, h('span', { class: 'muted' }, clock(e.time)), ' ', e.message))) : null),
        h('section', { class: 'panel' }, h('h2', {}, 'Neighbours'),
          neighbors.neighbors.length ? h('table', {}, h('tbody', {}, neighbors.neighbors.map((n) => h('tr', {},
            h('td', {}, n.localPort ?? ''), h('td', {}, n.remoteName ?? n.remoteId), h('td', {}, n.remotePort ?? ''), h('td', { class: 'muted' }, n.protocol))))) : h('p', { class: 'muted' }, 'none discovered'))),
      availability.el,
      h('div', { class: 'toolbar' }, h('strong', {}, 'Charts'), rangeSelect),
      charts,
      h('section', { class: 'panel' }, h('h2', {}, 'Interfaces'),
        st.interfacesFiltered ? h('p', { class: 'muted', id: 'interfaces-filtered' }, `${st.interfacesFiltered} interface${st.interfacesFiltered === 1 ? '' : 's'} filtered`) : null,
        h('table', { id: 'interfaces' },
          h('thead', {}, h('tr', {}, ['#', 'Name', 'Description', 'Alias', 'Status', 'Speed', 'In', 'Out', 'In util', 'Errors in/out'].map((t) => h('th', {}, t)))),
          h('tbody', {}, detail.interfaces.map((i) => {
            const v = i.values, name = i.tags.ifName;
            return h('tr', { class: `clickable ${name === (selected ?? detail.interfaces[0]?.tags.ifName) ? 'selected' : ''}`, dataset: { ifname: name },
              onclick: () => { selected = name; load(); } },
              h('td', {}, i.tags.ifIndex), h('td', {}, name), h('td', {}, i.tags.ifDescr ?? ''), h('td', {}, i.tags.ifAlias ?? ''),
              h('td', {}, h('span', { class: `badge ${v.oper_status === 1 ? 'state-up' : 'state-down'}` }, OPER[v.oper_status] ?? String(v.oper_status ?? '—'))),
              h('td', {}, si(v.speed_bps, 'b/s')), h('td', {}, si(v.in_bps, 'b/s')), h('td', {}, si(v.out_bps, 'b/s')),
              h('td', {}, typeof v.in_util_pct === 'number' ? `${v.in_util_pct.toFixed(1)}%` : '—'),
              h('td', {}, `${si(v.in_errors_ps)} / ${si(v.out_errors_ps)}`));
          })))));
    await Promise.all([drawCharts(detail), availability.refresh()]);
  }
  await load();
  // a flapping device sends a state change a second or more: at most one reload a second
  const reload = coalesced(load, 1000);
  timer = setInterval(reload, 60_000);
  const off = onLive((ev) => { if (ev.type === 'device-state' && ev.device === id) reload(); });
  return { el: h('div', {}, head, editPanel, body), refresh: reload, dispose: () => { clearInterval(timer); off(); reload.cancel(); details.cancel(); chartReads.cancel(); availability.cancel(); } };
}
