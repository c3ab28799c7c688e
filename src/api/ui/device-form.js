// The device form behind POST /api/v1/devices (add: name, address, port, credentials) and
// PUT /api/v1/devices/:id (edit: every field the API replaces), both with parents and the
// interface filter; the API's 400/422 errors are shown at the field they name.
import { api, formFields, h, parseTags, problemsOf, tagsText, toast } from './lib.js';
import { devicePicker } from './device-picker.js';

const enc = encodeURIComponent;
/** the top-level fields of the device body: a 422 message names them (`device "x": parents: parent cycle …`) */
const DEVICE_FIELDS = ['name', 'address', 'port', 'credentials', 'profiles', 'intervalMs', 'profileIntervalsMs', 'tags', 'icmp', 'parents', 'interfaces'];
/** common IANAifType numbers, so a stored filter reads as names (src/model/if-types.ts has them all; the API takes names or numbers) */
const IF_TYPE_NAMES = { 1: 'other', 6: 'ethernetCsmacd', 24: 'softwareLoopback', 53: 'propVirtual', 71: 'ieee80211', 117: 'gigabitEthernet', 131: 'tunnel', 135: 'l2vlan', 136: 'l3ipvlan', 161: 'ieee8023adLag' };
const EXCLUDE_PRESETS = ['softwareLoopback', 'propVirtual', 'tunnel', 'l2vlan'];
const PATTERNS = [['ifName', 'Names'], ['ifDescr', 'Descriptions'], ['ifAlias', 'Aliases']];
const PATTERN_HINT = 'one a line: glob (Gi*, Null*) or /regex/flags';

const typesText = (types) => (types ?? []).map((t) => IF_TYPE_NAMES[t] ?? t).join(', ');
const parseTypes = (text) => text.split(/[\s,]+/).filter(Boolean).map((t) => (/^\d+$/.test(t) ? Number(t) : t));
const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** one line for the device page: `exclude types softwareLoopback; names Null*; admin down · include names Gi*` */
export function filterText(f) {
  if (!f) return 'the default (config defaults.interfaces)';
  const side = (m, label) => {
    const parts = [m.ifType?.length ? `types ${typesText(m.ifType)}` : '', ...PATTERNS.map(([k, l]) => (m[k]?.length ? `${l.toLowerCase()} ${m[k].join(' ')}` : '')), m.adminDown ? 'admin down' : ''].filter(Boolean);
    return parts.length ? `${label} ${parts.join('; ')}` : '';
  };
  return [side(f.exclude ?? {}, 'exclude'), side(f.include ?? {}, 'include only')].filter(Boolean).join(' · ') || 'none (all interfaces)';
}

/** the include or exclude block: ifType (with presets when excluding), patterns, admin down */
function matchBlock(field, side, m, { presets, adminDown }) {
  const path = `interfaces.${side}`;
  const types = h('input', { name: `${side}.ifType`, value: typesText(m.ifType), autocomplete: 'off', placeholder: presets ? 'softwareLoopback, 131' : 'ethernetCsmacd, ieee8023adLag' });
  const boxes = (presets ?? []).map((t) => h('input', { type: 'checkbox', value: t, dataset: { preset: t } }));
  const syncBoxes = () => { const now = new Set(parseTypes(types.value).map(String)); for (const b of boxes) b.checked = now.has(b.value); };
  types.addEventListener('input', syncBoxes);
  for (const b of boxes) {
    b.addEventListener('change', () => {
      const list = parseTypes(types.value).filter((t) => String(t) !== b.value);
      types.value = (b.checked ? [...list, b.value] : list).join(', ');
    });
  }
  syncBoxes();
  const patterns = Object.fromEntries(PATTERNS.map(([k]) => [k, h('textarea', { name: `${side}.${k}`, rows: 2 }, (m[k] ?? []).join('\n'))]));
  const down = adminDown ? h('input', { type: 'checkbox', name: 'exclude.adminDown', checked: Boolean(m.adminDown) }) : null;
  const el = h('div', { class: 'fields' },
    field('Types', `${path}.ifType`, h('span', {}, types, boxes.length ? h('span', { class: 'checks' }, boxes.map((b) => h('label', {}, b, b.value))) : null),
      { group: true, hint: 'IANAifType names or numbers, comma-separated' }),
    PATTERNS.map(([k, label]) => field(label, `${path}.${k}`, patterns[k], { hint: PATTERN_HINT })),
    down ? h('label', { class: 'field check', dataset: { path: `${path}.adminDown` } }, down, 'Admin-down interfaces') : null);
  const read = () => {
    const out = {};
    const t = parseTypes(types.value);
    if (t.length) out.ifType = t;
    for (const [k] of PATTERNS) { const l = lines(patterns[k].value); if (l.length) out[k] = l; }
    if (down?.checked) out.adminDown = true;
    return Object.keys(out).length ? out : undefined;
  };
  return { el, read, reset: syncBoxes };
}

/**
 * `device` undefined: the add form; else the edit form for it. Parents are picked by name through
 * a type-ahead (the API's name filter), `credentials` feed the profile list. `onSaved(view)` after a save; `onConflict(err)` when the
 * API refuses the edit with 409 (a config-file device).
 */
export function deviceForm({ device, credentials, onSaved, onConflict }) {
  const isNew = !device;
  const d = device ?? { port: 161, interfaces: undefined, parents: [] };
  const formError = h(isNew ? 'span' : 'p', { class: 'error', id: isNew ? 'add-error' : 'edit-error' });
  const { field, show } = formFields(formError);
  const text = (name, value, attrs = {}) => h('input', { name, value: value ?? '', autocomplete: 'off', ...attrs });

  const inp = {
    name: isNew ? text('name', '', { required: true, placeholder: 'core-sw1' }) : null,
    address: text('address', d.address, { required: true, placeholder: '127.0.0.1' }),
    port: h('input', { name: 'port', type: 'number', value: d.port, min: 1, max: 65535 }),
    credentials: h('select', { name: 'credentials' }),
    parents: devicePicker({ id: isNew ? 'add-parents' : 'edit-parents', name: 'parents', chosen: isNew ? [] : d.parents ?? [], exclude: isNew ? [] : [d.name] }),
    profiles: isNew ? null : text('profiles', d.profiles.join(', '), { placeholder: 'system, interfaces' }),
    interval: isNew ? null : h('input', { name: 'interval', type: 'number', min: 1, step: 'any', value: d.intervalMs / 1000 }),
    tags: isNew ? null : text('tags', tagsText(d.tags), { placeholder: 'role=core site=lon1' }),
    icmp: isNew ? null : h('input', { type: 'checkbox', name: 'icmp', checked: d.icmp }),
    ownFilter: h('input', { type: 'checkbox', name: 'ownFilter', checked: Boolean(d.interfaces) }),
  };

  /** the credential options from the current list, keeping what is selected (as properties: reset() goes back to the device's values) */
  function setCredentials(creds) {
    const cred = inp.credentials.value;
    const names = creds.map((c) => c.name);
    inp.credentials.replaceChildren(...creds.map((c) => h('option', { value: c.name, selected: c.name === d.credentials }, `${c.name} (v${c.version}${c.level ? ` ${c.level}` : ''})`)),
      ...(d.credentials && !names.includes(d.credentials) ? [h('option', { value: d.credentials, selected: true }, `${d.credentials} (missing)`)] : []));
    if (cred) inp.credentials.value = cred;
  }
  setCredentials(credentials);

  const exclude = matchBlock(field, 'exclude', d.interfaces?.exclude ?? {}, { presets: EXCLUDE_PRESETS, adminDown: true });
  const include = matchBlock(field, 'include', d.interfaces?.include ?? {}, {});
  const filterBlocks = h('div', { class: 'if-filter' },
    h('fieldset', {}, h('legend', {}, 'Exclude (wins over include)'), exclude.el),
    h('fieldset', {}, h('legend', {}, 'Include only (empty: every interface)'), include.el));
  const syncOwn = () => { filterBlocks.hidden = !inp.ownFilter.checked; };
  inp.ownFilter.addEventListener('change', syncOwn);
  syncOwn();

  const save = h('button', { type: 'submit' }, isNew ? 'Add device' : 'Save');
  const f = h('form', { class: 'editor', id: isNew ? 'add-device' : 'device-form', novalidate: true },
    h('div', { class: 'fields' },
      isNew ? field('Name', 'name', inp.name) : null,
      field('Address', 'address', inp.address), field('Port', 'port', inp.port),
      field('Credentials', 'credentials', inp.credentials),
      isNew ? null : [
        field('Profiles', 'profiles', inp.profiles, { hint: 'comma-separated' }),
        field('Interval (s)', 'intervalMs', inp.interval),
        field('Tags', 'tags', inp.tags, { hint: 'key=value, space-separated' }),
        h('label', { class: 'field check', dataset: { path: 'icmp' } }, inp.icmp, 'ICMP checks')],
      field('Parents', 'parents', inp.parents.el, { hint: 'reached through these; its alerts wait while they are all down. Type a name, Enter or a suggestion adds it' })),
    h('details', { open: Boolean(d.interfaces) }, h('summary', {}, 'Interface filter'),
      h('label', { class: 'field check', dataset: { path: 'interfaces' } }, inp.ownFilter, 'Own filter (else the config\'s defaults.interfaces applies)'),
      filterBlocks),
    h('menu', { class: 'actions' }, save, formError));

  /** the body as the API takes it, and the problems found before sending it */
  function read() {
    const problems = [];
    const number = (input, path, scale = 1) => {
      if (input.value.trim() === '') return undefined;
      const n = Number(input.value);
      if (!Number.isFinite(n)) problems.push({ path, message: `"${input.value}": expected a number` });
      return Math.round(n * scale);
    };
    const parents = inp.parents.value();
    const body = {
      ...(isNew ? { name: inp.name.value.trim() } : {}),
      address: inp.address.value.trim(),
      port: number(inp.port, 'port'),
      credentials: inp.credentials.value,
      parents: parents.length ? parents : undefined,
    };
    if (!isNew) {
      const { tags, bad } = parseTags(inp.tags.value);
      for (const pair of bad) problems.push({ path: 'tags', message: `"${pair}": expected key=value` });
      const profiles = inp.profiles.value.split(/[\s,]+/).filter(Boolean);
      Object.assign(body, { profiles: profiles.length ? profiles : undefined, intervalMs: number(inp.interval, 'intervalMs', 1000),
        profileIntervalsMs: d.profileIntervalsMs, tags, icmp: inp.icmp.checked });
    }
    if (inp.ownFilter.checked) body.interfaces = { include: include.read(), exclude: exclude.read() };
    return { body, problems };
  }

  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const { body, problems } = read();
    show(problems, body);
    if (problems.length) return;
    save.disabled = true;
    try {
      const saved = await api(isNew ? '/api/v1/devices' : `/api/v1/devices/${enc(d.name)}`, { method: isNew ? 'POST' : 'PUT', body });
      toast(`${isNew ? 'added' : 'saved'} ${saved.name}`);
      onSaved?.(saved);
    } catch (err) {
      if (!isNew && err.status === 409 && onConflict) { onConflict(err); return; }
      show(problemsOf(err, DEVICE_FIELDS), body, err);
    } finally { save.disabled = false; }
  });

  function reset() {
    f.reset();
    inp.parents.set(isNew ? [] : d.parents ?? []);
    show([]);
    exclude.reset(); include.reset(); syncOwn();
  }
  return { el: f, setCredentials, reset };
}
