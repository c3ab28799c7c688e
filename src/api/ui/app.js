// The shell: hash router, login box, live updates (SSE over fetch so the token travels in a header).
import { api, authHeaders, cappedToasts, coalesced, emitLive, errorBox, setUnauthorizedHandler, toast, token } from './lib.js';
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

async function render() {
  const hash = location.hash || '#/devices';
  const match = routes.map(([re, page, nav]) => [hash.match(re), page, nav]).find(([m]) => m);
  const main = document.getElementById('main');
  if (!match) { location.hash = '#/devices'; return; }
  const [m, page, nav] = match;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === nav);
  current?.dispose?.();
  current = null;
  try {
    const view = await page(...m.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p))));
    main.replaceChildren(view.el);
    current = view;
    view.mounted?.();
  } catch (err) {
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
      const res = await fetch('/api/v1/devices', { headers: { authorization: `Bearer ${input.value}` } });
      if (res.status === 401) { err.hidden = false; err.textContent = 'That token is not accepted.'; return; }
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
setUnauthorizedHandler(askToken);
document.getElementById('logout').addEventListener('click', () => { token.clear(); location.reload(); });
document.getElementById('logout').hidden = !token.get();

// --- live updates ---

// the stream's last `id:` goes back as Last-Event-ID on reconnect: the server replays what was missed, or sends `reset`
async function liveLoop() {
  const dot = document.getElementById('live');
  let lastEventId = '';
  let retryMs = 3000;
  for (;;) {
    try {
      const res = await fetch('/api/v1/events', { headers: { ...authHeaders(), ...(lastEventId && { 'last-event-id': lastEventId }) } });
      if (res.status === 401) { dot.textContent = 'offline'; await askToken(); continue; }
      if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
      dot.textContent = 'live';
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
    dot.textContent = 'offline';
    dot.classList.remove('on');
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

function dispatch(ev) {
  // events were missed while disconnected: re-fetch the page's data (and the alert count) instead of looking current;
  // a page that can refresh in place keeps an open form and what is typed in it, the others are drawn anew
  if (ev.type === 'reset') {
    toast('Live updates were interrupted; reloaded.');
    if (current?.refresh) { current.refresh(); alertCount(); } else render();
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
    const { items } = await api('/api/v1/alerts?state=open&suppressed=false&limit=5000', { retry: false });
    const el = document.getElementById('alert-count');
    el.hidden = items.length === 0;
    el.textContent = String(items.length);
  } catch { /* not signed in yet */ }
}
// a burst of alert events re-counts at most once a second, never twice at a time
const alertCount = coalesced(refreshAlertCount, 1000);

window.addEventListener('hashchange', render);
render().then(liveLoop);
