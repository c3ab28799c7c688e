// DOM, API and formatting helpers shared by the pages. No framework: h() builds elements,
// text always goes through textContent (no innerHTML with data).

const TOKEN_KEY = 'netpulse.token';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export function authHeaders() {
  const t = token.get();
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** fetch JSON from the API; on 401 asks for a token and retries once; `signal` aborts it (see latest()) */
export async function api(path, { method = 'GET', body, text, raw = false, retry = true, signal } = {}) {
  const headers = { ...authHeaders() };
  let payload;
  if (text !== undefined) { headers['content-type'] = 'text/plain'; payload = text; }
  else if (body !== undefined) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  const res = await fetch(path, { method, headers, body: payload, signal });
  if (res.status === 401 && retry) {
    await onUnauthorized();
    return api(path, { method, body, text, raw, retry: false, signal });
  }
  if (raw && res.ok) return res;
  const ct = res.headers.get('content-type') ?? '';
  const data = res.status === 204 ? null : ct.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, data?.message ?? `${res.status} ${res.statusText}`, data);
  return data;
}

const TOAST_MS = 5000;

export function toast(message) {
  const el = h('div', { class: 'toast' }, message);
  document.getElementById('toasts').append(el);
  setTimeout(() => el.remove(), TOAST_MS);
  return el;
}

/**
 * A toast function for a kind of event that comes in bursts (thousands of flapping devices): at most
 * `max` of its toasts are up at once; the events past them are counted in one summary toast
 * (`summary(n)` is its text), updated in place and up until the burst has been quiet for a toast's time.
 */
export function cappedToasts(max, summary) {
  let shown = 0, more = 0, summaryEl = null, summaryTimer;
  return (message) => {
    if (!summaryEl && shown < max) {
      shown++;
      toast(message);
      setTimeout(() => { shown--; }, TOAST_MS);
      return;
    }
    more++;
    if (!summaryEl) {
      summaryEl = h('div', { class: 'toast summary', dataset: { summary: 'true' } });
      document.getElementById('toasts').append(summaryEl);
    }
    summaryEl.textContent = summary(more);
    clearTimeout(summaryTimer);
    summaryTimer = setTimeout(() => { summaryEl.remove(); summaryEl = null; more = 0; }, TOAST_MS);
  };
}

export function badge(text, cls) { return h('span', { class: `badge ${cls ?? ''}` }, text); }
export const stateBadge = (state) => badge(state, `state-${state}`);
export function versionBadge(snmp) {
  if (!snmp) return badge('no credentials', 'state-down');
  const label = snmp.version === '3' ? `v3 ${snmp.level ?? ''}`.trim() : `v${snmp.version}`;
  return badge(label, `ver-${snmp.version}`);
}
/** on a config device or window (`what`) that hides an API-created one of its name (`shadows: "api"`) */
export function shadowsBadge(what, attrs = {}) {
  const title = `an API-created ${what} of this name is hidden: neither listed nor ${what === 'device' ? 'polled' : 'applied'} until this one is renamed or removed in the config file`;
  return h('span', { class: 'badge state-down', dataset: { shadows: 'api' }, title, ...attrs }, `hides an API ${what}`);
}
export const SEVERITIES = ['critical', 'major', 'minor', 'warning', 'info'];
export const sevBadge = (sev) => badge(sev, `sev-${sev}`);

export function ago(ms) {
  if (ms === undefined || ms === null) return '—';
  const s = Math.round((Date.now() - ms) / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}
/** the parts of `ms` in the browser's time zone, digits and zone name as the en-US formatter writes them */
const zoneParts = new Intl.DateTimeFormat('en-US', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
});
/** the browser's zone at `ms` as the UI shows it: `UTC`, `EST`, `GMT+1` (Intl's short name) */
export function zoneName(ms = Date.now()) {
  return zoneParts.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
}
/**
 * Every absolute time the UI shows goes through here, so each says its zone:
 * `2026-12-04 21:41:07 GMT+1`; `date: 'short'` → `12-04 21:41 …`, `date: false` → `21:41:07 …`;
 * `seconds: false` drops the seconds. Undefined or 0 → `—`.
 */
export function clock(ms, { date = true, seconds = true } = {}) {
  if (!ms) return '—';
  const p = Object.fromEntries(zoneParts.formatToParts(ms).map((x) => [x.type, x.value]));
  const day = date === 'short' ? `${p.month}-${p.day} ` : date ? `${p.year}-${p.month}-${p.day} ` : '';
  return `${day}${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''} ${p.timeZoneName}`;
}

export const DURATION_UNITS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
/** in the largest unit that divides it exactly: 300000 → `5m`, 90000 → `90s`, 0 → empty */
export function formatDuration(ms) {
  if (!ms) return '';
  const unit = Object.keys(DURATION_UNITS).find((u) => ms % DURATION_UNITS[u] === 0);
  return unit ? `${ms / DURATION_UNITS[unit]}${unit}` : `${ms}ms`;
}

export function si(v, unit = '') {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  for (const [d, p] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']]) if (a >= d) return `${(v / d).toFixed(a / d >= 100 ? 0 : 1)} ${p}${unit}`;
  return `${Number.isInteger(v) ? v : v.toFixed(a >= 10 ? 1 : 2)} ${unit}`.trim();
}

export function errorBox(err) {
  return h('div', { class: 'panel error' }, err instanceof ApiError ? `${err.status}: ${err.message}` : String(err?.message ?? err));
}

/** a modal yes/no question (the page's own dialog, not window.confirm): resolves true on OK */
export function confirmDialog(question, okLabel = 'OK') {
  return new Promise((resolve) => {
    const dlg = h('dialog', { id: 'confirm', class: 'confirm' },
      h('form', { method: 'dialog' }, h('p', {}, question),
        h('menu', {}, h('button', { value: 'cancel', class: 'secondary', dataset: { action: 'cancel' } }, 'Cancel'),
          h('button', { value: 'ok', class: 'danger', dataset: { action: 'confirm' } }, okLabel))));
    dlg.addEventListener('close', () => { dlg.remove(); resolve(dlg.returnValue === 'ok'); });
    document.body.append(dlg);
    dlg.showModal();
  });
}

/**
 * A page built once and kept in place across reloads, so an open form keeps what is typed in it.
 * `shown()` after a good load puts `parts` up (once) under `heading` and clears an old error;
 * `failed(err)` shows the error alone while nothing was shown yet, else above the kept parts.
 */
export function keptView(heading, ...parts) {
  const el = h('div'), problem = h('div');
  let drawn = false;
  return {
    el,
    shown() {
      problem.replaceChildren();
      if (!drawn) { el.replaceChildren(heading, problem, ...parts); drawn = true; }
    },
    failed(err) { (drawn ? problem : el).replaceChildren(errorBox(err)); },
  };
}

/**
 * `task` behind a request function for bursts (live events): the first request after a quiet spell
 * starts it at once, later ones wait until `gapMs` after the last start (trailing edge: the last
 * request is always followed by a run), and none starts while one runs (one more runs after it).
 * `cancel()` stops it for good (the page is gone).
 */
export function coalesced(task, gapMs = 1000) {
  let timer, running = false, pending = false, cancelled = false, lastStart = -Infinity;
  const schedule = () => {
    if (timer !== undefined || running || cancelled) return;
    timer = setTimeout(run, Math.max(0, lastStart + gapMs - Date.now()));
  };
  async function run() {
    timer = undefined;
    pending = false;
    running = true;
    lastStart = Date.now();
    try { await task(); } catch { /* the task shows its own errors */ } finally { running = false; }
    if (pending) schedule();
  }
  const request = () => { pending = true; schedule(); };
  request.cancel = () => { cancelled = true; clearTimeout(timer); };
  return request;
}

/** what a `latest()` slot rejects with for a call a newer one replaced: callers drop it without a word */
export class Superseded extends Error {
  constructor() { super('superseded by a newer request'); this.name = 'Superseded'; }
}

/**
 * One slot for a fetch that can be asked again while one is in flight (live reloads, filters, ranges):
 * `slot(fn)` aborts the slot's previous call and runs `fn(signal)` (hand the signal to api()). It resolves
 * with fn's result only while the call is the slot's newest; an older one rejects with Superseded, never
 * with its abort error, so a slow old answer cannot draw over a newer one. `slot.cancel()`: the page is gone.
 */
export function latest() {
  let newest;
  const slot = async (fn) => {
    newest?.abort();
    const mine = (newest = new AbortController());
    let value;
    try { value = await fn(mine.signal); } catch (err) { throw mine === newest ? err : new Superseded(); }
    if (mine !== newest) throw new Superseded();
    return value;
  };
  slot.cancel = () => { newest?.abort(); newest = undefined; };
  return slot;
}

// live-update bus: app.js feeds it from the SSE stream, pages subscribe while shown
const liveListeners = new Set();
export function onLive(fn) { liveListeners.add(fn); return () => liveListeners.delete(fn); }
export function emitLive(ev) { for (const fn of liveListeners) fn(ev); }

// ---------- forms: labelled fields, each with its own error line; API errors land at the field they name ----------

export const under = (path, prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

export function valueAt(obj, path) {
  return path.split(/\.|\[(\d+)\]/).filter(Boolean).reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/**
 * [{ path: 'condition.value', message }] from a 400 (`problems`) or a 409/422 whose message names fields:
 * `… X: condition.op: "==" is not supported …; condition.value: …` → each path starting with one of
 * `roots` and the text up to the next one; `aliases` ([from, to]) rename the server's paths to the form's.
 */
export function problemsOf(err, roots, aliases = []) {
  if (!(err instanceof ApiError)) return [];
  if (Array.isArray(err.body?.problems)) return err.body.problems.map((p) => ({ path: p.path.replace(/^body\./, ''), message: p.message }));
  const fieldPath = new RegExp(`(?:^|: |; )((?:body\\.)?(?:${roots.join('|')})(?:\\.[\\w-]+|\\[\\d+\\])*): `, 'g');
  const hits = [...err.message.matchAll(fieldPath)];
  return hits.map((m, i) => {
    const path = m[1].replace(/^body\./, '');
    const alias = aliases.find(([from]) => under(path, from));
    return { path: alias ? alias[1] : path, message: err.message.slice(m.index + m[0].length, hits[i + 1]?.index) };
  });
}

/**
 * The fields of one form: `field()` wraps an input with its label, hint and error line under a
 * path like `condition.value`; `show()` puts each problem at the most specific visible field its
 * path is under (opening a closed <details> around it), the rest and a summary in `formError`.
 */
export function formFields(formError) {
  const fields = [];
  const field = (label, path, input, { hint, wide, group } = {}) => {
    const wrap = h(group ? 'div' : 'label', { class: `field${wide ? ' wide' : ''}`, role: group ? 'group' : undefined, dataset: { path } }, h('span', {}, label), input,
      hint ? h('small', { class: 'muted' }, hint) : null, h('span', { class: 'field-error' }));
    fields.push({ path, wrap, input });
    return wrap;
  };

  function show(problems, sent, err) {
    for (const { wrap } of fields) { wrap.querySelector('.field-error').textContent = ''; wrap.querySelector('input, select, textarea')?.removeAttribute('aria-invalid'); }
    const unplaced = [];
    for (const p of problems) {
      const target = fields.filter((x) => !x.wrap.closest('[hidden]') && under(p.path, x.path)).sort((a, b) => b.path.length - a.path.length)[0];
      if (!target) { unplaced.push(`${p.path}: ${p.message}`); continue; }
      const rest = p.path.slice(target.path.length).replace(/^\./, '');
      const value = valueAt(sent, p.path);
      const what = !rest ? '' : /^\[?\d+\]?$/.test(rest) && typeof value === 'string' ? `"${value}": ` : `${rest}: `;
      const out = target.wrap.querySelector('.field-error');
      out.textContent = [out.textContent, `${what}${p.message}`].filter(Boolean).join('; ');
      target.wrap.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
      for (let d = target.wrap.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    }
    formError.textContent = unplaced.length ? `Not saved: ${unplaced.join('; ')}` : problems.length ? 'Not saved: see the marked fields.' : err ? `Not saved: ${err.message}` : '';
    formError.closest('form')?.querySelector('[aria-invalid]')?.focus();
  }
  return { field, show };
}

/** `{ role: 'core', site: 'lon1' }` ↔ `role=core site=lon1` */
export const tagsText = (tags) => Object.entries(tags ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
/** the tags, and the pairs that are not key=value */
export function parseTags(text) {
  const tags = {}, bad = [];
  for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i <= 0) bad.push(pair);
    else tags[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { tags, bad };
}
