// Availability: the device page's panel (24 h / 7 d / 30 d) and the state timeline bar, shared with the Reports page.
import { Superseded, api, clock, h, latest } from './lib.js';

const enc = encodeURIComponent;
export const AVAILABILITY_RANGES = { '24h': '-24h', '7d': '-7d', '30d': '-30d' };
const STATE_LABEL = { up: 'up', 'snmp-unreachable': 'SNMP unreachable', 'auth-failed': 'auth failed', down: 'down', unknown: 'unknown', 'no-data': 'no data' };
let range = '24h';

export function pct(v) {
  return v === null || v === undefined ? '—' : `${v >= 99.995 && v < 100 ? '99.99' : v.toFixed(v === 100 || v === 0 ? 0 : 2)}%`;
}

export function duration(ms) {
  if (!ms) return '0s';
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400), hr = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return [d && `${d}d`, hr && `${hr}h`, m && `${m}m`, !d && !hr && sec && `${sec}s`].filter(Boolean).join(' ') || '0s';
}

/** a bar of the state runs over from..to, one coloured block per run, the state and times in its title */
export function timelineBar(a) {
  const span = a.to - a.from;
  return h('div', { class: 'timeline', role: 'img', 'aria-label': `state timeline ${clock(a.from)} – ${clock(a.to)}` },
    (a.timeline ?? []).map((s) => h('span', {
      class: `tl-${s.state}`, dataset: { state: s.state },
      style: `width:${((s.to - s.from) / span) * 100}%`,
      title: `${STATE_LABEL[s.state] ?? s.state}: ${clock(s.from)} – ${clock(s.to)} (${duration(s.to - s.from)})`,
    })));
}

/** the device page's panel: keeps its range across reloads of the page; refresh() re-reads it */
export function availabilityPanel(id) {
  const body = h('div', { id: 'availability-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const select = h('select', { id: 'availability-range', title: 'availability period' },
    Object.keys(AVAILABILITY_RANGES).map((r) => h('option', { value: r, selected: r === range }, `last ${r}`)));
  select.addEventListener('change', () => { range = select.value; refresh(); });
  const el = h('section', { class: 'panel', id: 'availability' }, h('div', { class: 'toolbar' }, h('h2', {}, 'Availability'), select), body);

  const reads = latest(); // a range change and a page reload overlap: only the newest answer is drawn
  async function refresh() {
    const period = range;
    let a;
    try {
      a = await reads((signal) => api(`/api/v1/devices/${enc(id)}/availability?from=${enc(AVAILABILITY_RANGES[period])}&segments=300`, { signal }));
    } catch (err) {
      if (!(err instanceof Superseded)) body.replaceChildren(h('p', { class: 'error' }, err.message));
      return;
    }
    const known = a.to - a.from - a.durations['no-data'] - a.durations.unknown;
    body.replaceChildren(
      h('div', { class: 'cards' },
        h('div', { class: 'card', id: 'availability-icmp', title: 'up + SNMP unreachable + auth failed, over the time with data' }, h('div', { class: 'muted' }, 'Reachable (ICMP)'), h('div', { class: 'n' }, pct(a.icmpAvailabilityPct))),
        h('div', { class: 'card', id: 'availability-snmp', title: 'up only, over the time with data' }, h('div', { class: 'muted' }, 'SNMP available'), h('div', { class: 'n' }, pct(a.snmpAvailabilityPct))),
        h('div', { class: 'card', id: 'availability-outages' }, h('div', { class: 'muted' }, 'Outages'), h('div', { class: 'n' }, a.outages)),
        h('div', { class: 'card', id: 'availability-longest' }, h('div', { class: 'muted' }, 'Longest outage'),
          h('div', { class: 'n' }, a.longestOutage ? duration(a.longestOutage.durationMs) : '—'),
          a.longestOutage ? h('div', { class: 'split' }, `from ${clock(a.longestOutage.from)}`) : null)),
      timelineBar(a),
      h('p', { class: 'muted' },
        `Data for ${pct(a.coveragePct)} of the period (${duration(known)}); down ${duration(a.durations.down)}, no data ${duration(a.durations['no-data'])}. `,
        'Gaps longer than 2.5 poll intervals count as no data, not as up.'));
    body.dataset.range = period; // the period drawn: lets a test wait for it
  }
  return { el, refresh, cancel: reads.cancel };
}
