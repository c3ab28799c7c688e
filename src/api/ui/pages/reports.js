// Reports: every device's availability over a period, worst first.
import { Superseded, api, h, latest } from '../lib.js';
import { AVAILABILITY_RANGES, duration, pct } from '../availability.js';

const enc = encodeURIComponent;
let range = '7d';
let tag = '';
let includeRemoved = false;

export async function reportsPage() {
  const el = h('div');
  const table = h('div', { id: 'report' });
  const select = h('select', { id: 'report-range', title: 'period' }, Object.keys(AVAILABILITY_RANGES).map((r) => h('option', { value: r, selected: r === range }, `last ${r}`)));
  const tagInput = h('input', { id: 'report-tag', placeholder: 'tag filter: site:ams', value: tag });
  const removedBox = h('input', { type: 'checkbox', id: 'report-include-removed', checked: includeRemoved });
  const removedLabel = h('label', { title: 'also devices no longer in the inventory that have data in the period (ignored with a tag filter)' }, removedBox, ' Include removed devices');
  const error = h('span', { class: 'error', id: 'report-error' });
  select.addEventListener('change', () => { range = select.value; load(); });
  tagInput.addEventListener('change', () => { tag = tagInput.value.trim(); load(); });
  removedBox.addEventListener('change', () => { includeRemoved = removedBox.checked; load(); });

  // a slow answer must not overwrite a newer one (filter changed, or a refresh, meanwhile)
  const reports = latest();
  async function load() {
    const query = `from=${enc(AVAILABILITY_RANGES[range])}${tag ? `&tag=${enc(tag)}` : ''}${includeRemoved ? '&includeRemoved=true' : ''}`;
    let report;
    try {
      report = await reports((signal) => api(`/api/v1/reports/availability?${query}`, { signal }));
    } catch (err) {
      if (err instanceof Superseded) return;
      error.textContent = err.message; table.replaceChildren(); return;
    }
    error.textContent = '';
    table.replaceChildren(report.items.length === 0 ? h('p', { class: 'muted' }, 'No devices match.') : h('table', { id: 'availability-report' },
      h('thead', {}, h('tr', {}, ['Device', 'Reachable (ICMP)', 'SNMP available', 'Outages', 'Longest outage', 'Down', 'Data coverage'].map((t) => h('th', {}, t)))),
      h('tbody', {}, report.items.map((a) => h('tr', { dataset: { device: a.device } },
        h('td', {}, h('a', { href: `#/devices/${enc(a.device)}` }, a.device)),
        h('td', { class: a.icmpAvailabilityPct !== null && a.icmpAvailabilityPct < 99.9 ? 'error' : '' }, pct(a.icmpAvailabilityPct)),
        h('td', {}, pct(a.snmpAvailabilityPct)),
        h('td', {}, a.outages),
        h('td', {}, a.longestOutage ? duration(a.longestOutage.durationMs) : '—'),
        h('td', {}, duration(a.durations.down)),
        h('td', { class: 'muted' }, pct(a.coveragePct)))))));
  }

  el.replaceChildren(
    h('h1', {}, 'Availability report'),
    h('div', { class: 'toolbar' }, select, tagInput, removedLabel, error),
    h('p', { class: 'muted' }, 'Worst first. Reachable: up, SNMP unreachable or auth failed (the device answered); SNMP available: up. Both over the time with data; devices without data last.'),
    table);
  await load();
  // a reset re-fetches with the filters in force; the inputs stay as they are
  return { el, refresh: load, dispose: reports.cancel };
}
