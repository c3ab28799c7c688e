// A small SVG line chart: lines = [{ label, color, points: [[time, value], ...] }].
import { clock, h, si } from './lib.js';

const NS = 'http://www.w3.org/2000/svg';
const s = (tag, attrs = {}, text) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
};

/** round tick values (1, 2, 2.5, 5 × 10^n) covering [v0, v1], about `n` of them */
export function niceTicks(v0, v1, n = 4) {
  const raw = (v1 - v0) / Math.max(1, n - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) ?? 10 * mag;
  const first = Math.floor(v0 / step) * step;
  const ticks = [];
  for (let v = first; v < v1 + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** clock labels, each with its zone: seconds when the period is short, dates when it spans days */
function timeLabel(t, span) {
  if (span < 10 * 60_000) return clock(t, { date: false });
  return clock(t, { date: span > 36 * 3_600_000 ? 'short' : false, seconds: false });
}

export function lineChart({ title, unit = '', lines, height = 220, min0 = true }) {
  const W = 480, H = height, L = 74, R = 12, T = 10, B = 24;
  const pts = lines.flatMap((l) => l.points).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title });
  const wrap = h('div', { class: 'panel chart-panel', dataset: { chart: title } },
    h('h2', {}, title),
    h('div', { class: 'legend' }, lines.map((l) => {
      const last = [...l.points].reverse().find(([, v]) => typeof v === 'number');
      return h('span', {}, h('i', { style: `background:${l.color}` }), `${l.label}: ${last ? si(last[1], unit) : '—'}`);
    })),
    svg);
  if (pts.length === 0) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no data in this period'));
    return wrap;
  }
  const t0 = Math.min(...pts.map((p) => p[0])), t1 = Math.max(...pts.map((p) => p[0]));
  let v0 = Math.min(...pts.map((p) => p[1])), v1 = Math.max(...pts.map((p) => p[1]));
  if (min0) v0 = Math.min(0, v0);
  if (v1 === v0) v1 = v0 + 1;
  const ticks = niceTicks(v0, v1);
  v0 = Math.min(v0, ticks[0]);
  v1 = Math.max(v1, ticks[ticks.length - 1]);
  const x = (t) => L + ((t - t0) / (t1 - t0 || 1)) * (W - L - R);
  const y = (v) => T + (1 - (v - v0) / (v1 - v0)) * (H - T - B);
  for (const v of ticks) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(s('text', { x: L - 4, y: y(v) + 4, 'text-anchor': 'end' }, si(v, unit)));
  }
  svg.append(s('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' }));
  const times = t1 > t0 ? [t0, (t0 + t1) / 2, t1] : [t0];
  for (const t of times) {
    svg.append(s('text', { x: x(t), y: H - 6, 'text-anchor': t === t0 ? 'start' : t === t1 ? 'end' : 'middle' }, timeLabel(t, t1 - t0)));
  }
  for (const l of lines) {
    const d = l.points.filter(([, v]) => typeof v === 'number' && Number.isFinite(v)).map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    if (d) svg.append(s('path', { d, fill: 'none', stroke: l.color, 'stroke-width': 1.6, 'vector-effect': 'non-scaling-stroke' }));
  }
  return wrap;
}
