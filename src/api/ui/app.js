// The shell: hash router, login box, live updates (SSE over fetch so the token travels in a header).
import { Superseded, api, authHeaders, cappedToasts, coalesced, emitLive, errorBox, latest, setUnauthorizedHandler, toast, token } from './lib.js';
import { devicesPage } from './pages/devices.js';
import { devicePage } from './pages/device.js';
import { oidsPage } from './pages/oids.js';
import { topologyPage } from './pages/topology.js';
import { alertsPage, trapsPage } from './pages/alerts.js';
import { rulesPage } from './pages/rules.js';
import { reportsPage } from './pages/reports.js';
import { maintenancePage } from './pages/maintenance.js';

const routes = [
  [/^#\/devices\/([^/]+)$/, devicePage, 'devices'],
  [/^#\/devices$/, devicesPage, 'devices'],
  [/^#\/oids(?:\/(.+))?$/, oidsPage, 'oids'],
  [/^#\/topology$/, topologyPage, 'topology'],
  [/^#\/alerts$/, alertsPage, 'alerts'],
  [/^#\/rules(?:\/([^/]+)(?:\/([^/]+))?)?$/, rulesPage, 'rules'],
  [/^#\/traps$/, trapsPage, 'traps'],
  [/^#\/reports$/, reportsPage, 'reports'],
  [/^#\/maintenance$/, maintenancePage, 'maintenance'],
];

let current = null;
const views = latest(); // quick navigation: a slow page must not replace the one asked for after it

async function render() {
  const hash = location.hash || '#/devices';
  const match = routes.map(([re, page, nav]) => [hash.match(re), page, nav]).find(([m]) => m);
  const main = document.getElementById('main');
  if (!match) { location.hash = '#/devices'; return; }
  const [m, page, nav] = match;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === nav);
  current?.dispose?.();
  current = null;
  let built;
  try {
    const view = await views(async () => (built = await page(...m.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p))))));
    main.replaceChildren(view.el);
    current = view;
    view.mounted?.();
  } catch (err) {
    if (err instanceof Superseded) { built?.dispose?.(); return; }
    main.replaceChildren(errorBox(err));
  }
  alertCount();
}

// --- login ---
let pendingLogin = null;
function askToken() {
  if (pendingLogin) return pendingLogin;
  const dlg = document.getElementById('login');
  const input = document.getElementById('login-token');
  const err = document.getElementById('login-error');
  pendingLogin = new Promise((resolve) => {
    const submit = async (ev) => {
      ev.preventDefault();
      // only a 2xx proves the token: a 429 (this address is blocked after failed tokens) or a 5xx says nothing about it
      let res;
      try { res = await fetch('/api/v1/devices', { headers: { authorization: `Bearer ${input.value}` } }); } catch (e) { res = e; }
      if (!res.ok) { err.hidden = false; err.textContent = await loginRefusal(res); return; }
      token.set(input.value);
      document.getElementById('login-form').removeEventListener('submit', submit);
      dlg.close();
      err.hidden = true;
      input.value = '';
      document.getElementById('logout').hidden = false;
      pendingLogin = null;
      resolve();
    };
    document.getElementById('login-form').addEventListener('submit', submit);
    dlg.showModal();
    input.focus();
  });
  return pendingLogin;
}
/** why the login check did not pass: the response that refused it, or the fetch's error */
async function loginRefusal(res) {
  if (!(res instanceof Response)) return `Cannot reach netpulse: ${res?.message ?? res}`;
  if (res.status === 401) return 'That token is not accepted.';
  const wait = retryAfterS(res);
  if (res.status === 429) return `Too many failed tokens from this address: try again in ${wait ?? 'a few'} s.`;
  const body = await res.json().catch(() => null);
  return `netpulse answered ${res.status}${body?.message ? `: ${body.message}` : ''}${wait ? ` (try again in ${wait} s)` : ''}`;
}
setUnauthorizedHandler(askToken);
document.getElementById('logout').addEventListener('click', () => { token.clear(); location.reload(); });
document.getElementById('logout').hidden = !token.get();

// --- live updates ---

/** a response's Retry-After in whole seconds (the API sends seconds), undefined without a usable one */
function retryAfterS(res) {
  const s = Number(res.headers.get('retry-after') ?? '');
  return Number.isFinite(s) && s > 0 ? Math.ceil(s) : undefined;
}

const MAX_BACKOFF_MS = 60_000;
/** the wait before reconnect attempt `failures` (1, 2, …) in a row: the server's retry doubled each time, capped, with ±20 % jitter */
const backoffMs = (retryMs, failures) => Math.min(MAX_BACKOFF_MS, retryMs * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);

// the stream's last `id:` goes back as Last-Event-ID on reconnect: the server replays what was missed, or sends `reset`;
// a refusal with Retry-After (503: the server's live-update clients are full; 429: this address is blocked) waits that long,
// other failures back off, so a busy or down server is not hammered by every open tab
async function liveLoop() {
  const dot = document.getElementById('live');
  let lastEventId = '';
  let retryMs = 3000;
  let failures = 0;
  for (;;) {
    let waitMs, why = 'connection lost';
    try {
      const res = await fetch('/api/v1/events', { headers: { ...authHeaders(), ...(lastEventId && { 'last-event-id': lastEventId }) } });
      if (res.status === 401) { dot.textContent = 'offline'; await askToken(); continue; }
      if (!res.ok || !res.body) {
        const after = retryAfterS(res);
        if (after) waitMs = after * 1000;
        const body = await res.json().catch(() => null);
        why = `${res.status}${body?.message ? `: ${body.message}` : ''}`;
        throw new Error(why);
      }
      failures = 0;
      dot.textContent = 'live';
      dot.title = 'live updates';
      delete dot.dataset.retryS;
      dot.classList.add('on');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const lines = frame.split('\n');
          const field = (name) => lines.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
          const id = field('id').at(-1), retry = field('retry').at(-1), data = field('data').join('\n');
          if (id !== undefined) lastEventId = id;
          if (Number(retry) > 0) retryMs = Number(retry);
          if (data) dispatch(JSON.parse(data));
        }
      }
    } catch { /* reconnect below */ }
    failures++;
    const delay = waitMs ?? backoffMs(retryMs, failures);
    dot.textContent = 'offline';
    dot.classList.remove('on');
    dot.dataset.retryS = String(Math.round(delay / 1000));
    dot.title = `live updates stopped (${why}); retrying in ${Math.round(delay / 1000)} s`;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** re-fetch the page's data (and the alert count): a page that can refresh in place keeps an open form and what is typed in it, the others are drawn anew */
function reloadPage() {
  if (current?.refresh) { current.refresh(); alertCount(); } else render();
}

// An event too big for the live stream comes as `too-large` with its URL, fetched while the server still holds it.
// The events after it wait until it is fetched, has failed or TOO_LARGE_WAIT_MS passed, so none is applied
// before an earlier one (a device's up→down after its later down→up would leave it shown down).
// Past MAX_HELD held events (a storm during the wait) they are dropped with the too-large one and the page re-read.
const TOO_LARGE_WAIT_MS = 10_000;
const MAX_HELD = 1000;
const waiting = [];
let draining = false;
/** aborts the too-large fetch being waited for */
let tooLargeFetch;
const TOO_MANY_HELD = new Error('too many events held');

function dispatch(ev) {
  waiting.push(ev);
  if (!draining) { drain(); return; }
  if (waiting.length > MAX_HELD) { skipHeld(); return; }
  // how many wait for a too-large event's fetch: lets a test see them held
  document.getElementById('live').dataset.held = String(waiting.length);
}

/** drops the held events and the fetch they wait for: the page's data is re-read instead */
function skipHeld() {
  const skipped = waiting.length;
  waiting.length = 0;
  tooLargeFetch?.abort(TOO_MANY_HELD);
  delete document.getElementById('live').dataset.held;
  toast(`${skipped} live events were skipped (more than ${MAX_HELD} waited behind a too-large one); reloaded.`);
  reloadPage();
}

/** applies the waiting events in order: only a too-large one, while it is fetched, makes the rest wait */
async function drain() {
  draining = true;
  while (waiting.length) {
    const ev = waiting.shift();
    try { apply(ev.type === 'too-large' ? await fetchTooLarge(ev) : ev); } catch (err) { reportError(err); }
  }
  delete document.getElementById('live').dataset.held;
  draining = false;
}

/** the whole event behind a too-large one; undefined (the page re-read instead) when it cannot be had */
async function fetchTooLarge(ev) {
  const stop = (tooLargeFetch = new AbortController());
  const timer = setTimeout(() => stop.abort(new Error(`no answer in ${TOO_LARGE_WAIT_MS / 1000} s`)), TOO_LARGE_WAIT_MS);
  try {
    return (await api(ev.url, { retry: false, signal: stop.signal })).event;
  } catch (err) {
    if (stop.signal.reason === TOO_MANY_HELD) return undefined; // skipHeld() said so and reloaded
    toast(`A live ${ev.event} event could not be shown: it was too large for the stream and fetching it failed (${err?.message ?? err}); reloaded.`);
    reloadPage();
    return undefined;
  } finally { clearTimeout(timer); tooLargeFetch = undefined; }
}

function apply(ev) {
  if (!ev) return;
  // events were missed while disconnected: reload instead of looking current
  if (ev.type === 'reset') {
    toast('Live updates were interrupted; reloaded.');
    reloadPage();
    return;
  }
  if (ev.type === 'device-state') stateToast(`${ev.device}: ${ev.from} → ${ev.to}${ev.error ? ` (${ev.error})` : ''}`);
  if (ev.type === 'alert' && ev.change === 'opened') alertToast(`${ev.alert.severity} alert: ${ev.alert.message}`);
  if (ev.type === 'trap') trapToast(`trap ${ev.trap.trapName ?? ev.trap.trapOid} from ${ev.trap.device ?? ev.trap.source}`);
  if (ev.type === 'alert') alertCount();
  emitLive(ev);
}

// a burst (thousands of flapping devices) shows a few toasts of each kind and one running count, not a toast an event
const MAX_TOASTS = 5;
const plural = (n, one, many) => `${n} more ${n === 1 ? one : many}`;
const stateToast = cappedToasts(MAX_TOASTS, (n) => plural(n, 'device state change', 'device state changes'));
const alertToast = cappedToasts(MAX_TOASTS, (n) => plural(n, 'alert opened', 'alerts opened'));
const trapToast = cappedToasts(MAX_TOASTS, (n) => plural(n, 'trap', 'traps'));

async function refreshAlertCount() {
  try {
    // silenced alerts (maintenance, down parent) do not call for attention
    const { count } = await api('/api/v1/alerts/count?state=open&suppressed=false', { retry: false });
    const el = document.getElementById('alert-count');
    el.hidden = count === 0;
    el.textContent = String(count);
    el.title = `${count} open alert${count === 1 ? '' : 's'} (not silenced)`;
  } catch { /* not signed in yet */ }
}
// a burst of alert events re-counts at most once a second, never twice at a time
const alertCount = coalesced(refreshAlertCount, 1000);

window.addEventListener('hashchange', render);
render().then(liveLoop);
