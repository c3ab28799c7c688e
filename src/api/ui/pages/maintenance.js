// Maintenance windows: list (config and API), create a one-off window for chosen devices/tags, delete.
import { Superseded, api, badge, clock, confirmDialog, formatDuration, h, keptView, latest, parseTags, shadowsBadge, tagsText, toast, zoneName } from '../lib.js';
import { devicePicker } from '../device-picker.js';

/** device name → names of the windows covering it now (for the "in maintenance" badge) */
export async function devicesInMaintenance() {
  const out = new Map();
  try {
    const { items } = await api('/api/v1/maintenance', { retry: false });
    for (const w of items) if (w.active) for (const d of w.covers) out.set(d, [...(out.get(d) ?? []), w.name]);
  } catch { /* the badge is a hint: no badge when the list cannot be read */ }
  return out;
}

export function maintenanceBadge(windows) {
  if (!windows?.length) return null;
  const b = badge('in maintenance', 'maint');
  b.title = windows.join(', ');
  b.dataset.maintenance = windows.join(',');
  return b;
}

function when(w) {
  if (w.schedule) return h('span', {}, h('code', {}, w.schedule), ` for ${formatDuration(w.durationMs)}`, w.timezone ? h('span', { class: 'muted' }, ` (${w.timezone})`) : h('span', { class: 'muted' }, ' (UTC)'));
  return `${clock(w.start)} – ${clock(w.end)}`;
}

function status(w) {
  if (w.active) return h('span', {}, badge('active', 'maint'), h('div', { class: 'muted' }, `until ${clock(w.activeUntil)}`));
  if (w.nextStart) return h('span', { class: 'muted' }, `next ${clock(w.nextStart)}`);
  return h('span', { class: 'muted' }, 'ended');
}

/** `YYYY-MM-DDTHH:MM` as local time → ISO 8601 in UTC */
const localToIso = (v) => (v ? new Date(v).toISOString() : undefined);
const isoLocal = (ms) => { const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000); return d.toISOString().slice(0, 16); };

function createForm(done) {
  const field = (label, input, name) => h('label', { class: 'field', dataset: { field: name } }, label, input, h('span', { class: 'field-error' }));
  const name = h('input', { name: 'name', id: 'mw-name', required: true, placeholder: 'core-upgrade' });
  const devs = devicePicker({ id: 'mw-devices', name: 'devices' });
  const globs = h('input', { name: 'globs', id: 'mw-globs', placeholder: 'core-*, dist-sw?' });
  const tags = h('input', { name: 'tags', id: 'mw-tags', placeholder: 'site=hq, role=core' });
  const start = h('input', { name: 'start', id: 'mw-start', type: 'datetime-local', required: true });
  const end = h('input', { name: 'end', id: 'mw-end', type: 'datetime-local', required: true });
  const comment = h('input', { name: 'comment', id: 'mw-comment', placeholder: 'change ticket, who to call' });
  /** empty, from now for two hours */
  const clear = () => {
    for (const input of [name, globs, tags, comment]) input.value = '';
    devs.set([]);
    const t = Date.now();
    start.value = isoLocal(t);
    end.value = isoLocal(t + 2 * 3_600_000);
  };
  const formError = h('p', { class: 'error', id: 'mw-error' });
  const f = h('form', { class: 'rule', id: 'maintenance-form' },
    h('div', { class: 'fields' },
      field('Name', name, 'name'), field('Devices (type a name: Enter or a suggestion adds it)', devs.el, 'devices'), field('More devices (globs, comma-separated)', globs, 'globs'),
      field('Tags (all must match)', tags, 'tags'), field(`Start (${zoneName()})`, start, 'start'), field(`End (${zoneName()})`, end, 'end'),
      field('Comment', comment, 'comment')),
    h('menu', { class: 'actions' }, h('button', { type: 'submit', id: 'mw-create' }, 'Create window')), formError);
  const show = (problems) => {
    for (const el of f.querySelectorAll('.field-error')) el.textContent = '';
    const unplaced = [];
    for (const p of problems) {
      const key = p.path.replace(/^body\./, '').split('.')[0].replace(/\[\d+\]$/, '');
      const target = f.querySelector(`[data-field="${key}"] .field-error`);
      if (target) target.textContent = p.message; else unplaced.push(`${p.path}: ${p.message}`);
    }
    formError.textContent = unplaced.join('; ');
  };
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const { tags: tagMap, bad } = parseTags(tags.value);
    if (bad.length) { show([{ path: 'tags', message: `${bad.map((pair) => `"${pair}"`).join(', ')}: expected name=value` }]); return; }
    const body = {
      name: name.value.trim(),
      devices: [...devs.value(), ...globs.value.split(',').map((s) => s.trim()).filter(Boolean)],
      tags: tagMap, start: localToIso(start.value), end: localToIso(end.value),
      ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
    };
    try {
      await api('/api/v1/maintenance', { method: 'POST', body });
      show([]);
      clear();
      toast(`maintenance window ${body.name} created`);
      done();
    } catch (err) {
      show(Array.isArray(err.body?.problems) ? err.body.problems : [{ path: '', message: err.message }]);
    }
  });
  clear();
  return { el: f };
}

function windowRow(w, remove) {
  return h('tr', { dataset: { window: w.name } },
    h('td', {}, w.name),
    h('td', {}, [...w.devices, tagsText(w.tags)].filter(Boolean).join(', '),
      h('div', { class: 'muted' }, w.covers.length ? `${w.covers.length} device${w.covers.length === 1 ? '' : 's'}: ${w.covers.slice(0, 8).join(', ')}${w.covers.length > 8 ? ' …' : ''}` : 'no known device')),
    h('td', {}, when(w)),
    h('td', {}, status(w)),
    h('td', {}, w.comment ?? ''),
    h('td', { class: 'muted' }, w.origin === 'config' ? 'config file' : `API${w.createdBy ? ` (${w.createdBy})` : ''}`,
      w.shadows ? h('div', {}, shadowsBadge('window')) : null),
    h('td', {}, w.origin === 'api' ? h('button', { class: 'secondary', dataset: { action: 'delete' }, onclick: () => remove(w) }, 'Delete') : ''));
}

export async function maintenancePage() {
  // built once and kept in place: a reload (a reset of the live stream) redraws the list and leaves the form as typed
  let form;
  const count = badge('');
  const rows = h('tbody');
  const formPanel = h('section', { class: 'panel' }, h('h2', {}, 'New one-off window'));
  const view = keptView(h('h1', {}, 'Maintenance windows ', count),
    h('p', { class: 'muted' }, 'Alerts of covered devices are still opened and recorded but marked silenced and not notified; one still active when its window ends is notified then. Polling goes on.'),
    h('section', { class: 'panel' },
      h('table', { id: 'maintenance' },
        h('thead', {}, h('tr', {}, ['Name', 'Covers', 'When', 'Status', 'Comment', 'Source', ''].map((t) => h('th', {}, t)))),
        rows)),
    formPanel);

  async function remove(w) {
    if (!(await confirmDialog(`Delete maintenance window "${w.name}"? Alerts it holds back are notified if still active.`, 'Delete'))) return;
    try { await api(`/api/v1/maintenance/${encodeURIComponent(w.id)}`, { method: 'DELETE' }); toast(`deleted ${w.name}`); load(); } catch (err) { toast(err.message); }
  }
  const lists = latest(); // a delete, a create and a reload overlap: only the newest answer is drawn
  async function load() {
    try {
      const { items } = await lists((signal) => api('/api/v1/maintenance', { signal }));
      if (!form) formPanel.append((form = createForm(load)).el);
      count.textContent = String(items.length);
      rows.replaceChildren(...(items.length ? items.map((w) => windowRow(w, remove)) : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'no maintenance windows'))]));
      view.shown();
    } catch (err) { if (!(err instanceof Superseded)) view.failed(err); }
  }
  await load();
  return { el: view.el, refresh: load, dispose: lists.cancel };
}
