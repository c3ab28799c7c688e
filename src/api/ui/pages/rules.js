// Alert rules: the list (enable/disable, edit, copy, delete) and the editor behind
// POST /api/v1/rules and PUT /api/v1/rules/:id. Config-file and shipped rules are read-only.
import { DURATION_UNITS, SEVERITIES, Superseded, api, confirmDialog, errorBox, formatDuration, formFields, h, latest, parseTags, problemsOf, sevBadge, tagsText, toast } from '../lib.js';

const enc = encodeURIComponent;
const DEVICE_STATES = ['down', 'snmp-unreachable', 'auth-failed', 'up', 'unknown'];
// the API also takes == and !=; the running netpulse refuses them for thresholds (422), so they are not offered
const THRESHOLD_OPS = ['>', '>=', '<', '<='];
const TYPES = [['threshold', 'Threshold on a polled value'], ['trap', 'SNMP trap'], ['device-state', 'Device state']];

/** ids the server gives config-file and shipped rules; it refuses to change them (409) */
const fixedOrigin = (id) => (id.startsWith('config.') ? 'config file' : id.startsWith('default.') ? 'shipped' : undefined);

// ---------- durations (forMs) and OID names ----------

/** as the server's checkDuration: `500ms`, `90s`, `5m`, `1.5h`, `7d`, a bare number is seconds; empty is 0; undefined when unreadable */
function parseDuration(text) {
  const t = text.trim();
  if (!t) return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(t);
  return m ? Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']) : undefined;
}

// rules hold numeric trap OIDs (comma-separated alternatives for shipped rules): shown as MODULE::name from the dictionary
const oidNameCache = new Map();
function oidName(oid) {
  if (!/^\d+(\.\d+)+$/.test(oid)) return Promise.resolve(oid);
  if (!oidNameCache.has(oid)) {
    oidNameCache.set(oid, api(`/api/v1/oids/${oid}`, { retry: false })
      .then(({ node }) => (node.oid === oid ? `${node.module}::${node.name}` : oid), () => { oidNameCache.delete(oid); return oid; }));
  }
  return oidNameCache.get(oid);
}
const oidNames = async (list) => (await Promise.all(list.split(',').map((o) => oidName(o.trim())))).join(', ');

async function conditionText(c) {
  const held = c.forMs ? ` for ${formatDuration(c.forMs)}` : '';
  if (c.type === 'trap') return `trap ${await oidNames(c.trapOid)}${c.clearTrapOid ? `, cleared by ${await oidNames(c.clearTrapOid)}` : ''}`;
  if (c.type === 'threshold') return `${c.measurement}.${c.field} ${c.op} ${c.value}${held}${c.clearValue !== undefined ? `, clears at ${c.clearValue}` : ''}`;
  return `device ${c.states.join('/')}${held}`;
}

const matchText = (m) => [m.device ? `device ${m.device}` : '', tagsText(m.tags)].filter(Boolean).join(', ') || 'all devices';

// ---------- API errors → fields ----------

// `rules: rule X: condition.op: "==" is not supported …; condition.value: …`: the fields a 422 names, and the engine's names for them
const RULE_FIELDS = ['name', 'enabled', 'severity', 'description', 'match', 'condition', 'notify'];
const ENGINE_PATHS = [['condition.trap', 'condition.trapOid'], ['condition.clearedBy', 'condition.clearTrapOid'], ['condition.when', 'condition.varbinds'],
  ['condition.device', 'match.device'], ['condition.tags', 'match.tags'], ['condition.samples', 'condition.forMs']];

// ---------- the editor ----------

function ruleForm({ id, rule, readOnly, onDelete }) {
  const isNew = !id;
  const r = rule ?? { severity: 'warning', enabled: true, match: {}, condition: { type: 'threshold', op: '>' }, notify: [] };
  const c = r.condition;
  const formError = h('p', { class: 'error', id: 'rule-error' });
  const { field, show } = formFields(formError);
  const text = (name, value, attrs = {}) => h('input', { name, value: value ?? '', autocomplete: 'off', ...attrs });
  const number = (name, value) => h('input', { name, type: 'number', step: 'any', value: value ?? '' });
  const options = (values, current) => values.map(([v, label]) => h('option', { value: v, selected: v === current }, label ?? v));

  const inp = {
    name: text('name', r.name, { placeholder: 'Core uplink errors', maxlength: 128 }),
    severity: h('select', { name: 'severity' }, options(SEVERITIES.map((s) => [s]), r.severity)),
    enabled: h('input', { type: 'checkbox', name: 'enabled', checked: r.enabled }),
    description: h('textarea', { name: 'description', rows: 2, maxlength: 2000 }, r.description ?? ''),
    device: text('device', r.match?.device, { placeholder: 'any device' }),
    tags: text('tags', tagsText(r.match?.tags), { placeholder: 'role=core site=lon1' }),
    notify: text('notify', r.notify?.join(', '), { placeholder: 'noc-mail, slack-ops' }),
    type: h('select', { name: 'type' }, options(TYPES, c.type)),
    trapOid: text('trapOid', c.trapOid, { placeholder: 'IF-MIB::linkDown or 1.3.6.1.6.3.1.1.5.3', list: 'trap-oids' }),
    clearTrapOid: text('clearTrapOid', c.clearTrapOid, { placeholder: 'IF-MIB::linkUp (optional)', list: 'trap-oids' }),
    varbinds: h('textarea', { name: 'varbinds', rows: 2, placeholder: 'IF-MIB::ifAdminStatus = 1' }, Object.entries(c.varbinds ?? {}).map(([k, v]) => `${k} = ${v}`).join('\n')),
    measurement: text('measurement', c.measurement, { placeholder: 'icmp' }),
    field: text('field', c.field, { placeholder: 'loss_pct' }),
    op: h('select', { name: 'op' }, options((THRESHOLD_OPS.includes(c.op ?? '>') ? THRESHOLD_OPS : [...THRESHOLD_OPS, c.op]).map((o) => [o]), c.op ?? '>')),
    value: number('value', c.value),
    clearValue: number('clearValue', c.clearValue),
    thresholdFor: text('thresholdFor', c.type === 'threshold' ? formatDuration(c.forMs) : '', { placeholder: '0, 30s, 5m' }),
    states: DEVICE_STATES.map((s) => h('input', { type: 'checkbox', name: 'states', value: s, checked: c.type === 'device-state' ? c.states.includes(s) : s === 'down' })),
    stateFor: text('stateFor', c.type === 'device-state' ? formatDuration(c.forMs) : '', { placeholder: '0, 30s, 5m' }),
  };
  const trapOids = h('datalist', { id: 'trap-oids' });
  suggestNotifications(inp.trapOid, trapOids);
  suggestNotifications(inp.clearTrapOid, trapOids);

  const groups = {
    threshold: h('fieldset', { dataset: { type: 'threshold' } }, h('legend', {}, 'Threshold'), h('div', { class: 'fields' },
      field('Measurement', 'condition.measurement', inp.measurement, { hint: 'icmp, snmp_interface, snmp_host, …' }),
      field('Field', 'condition.field', inp.field, { hint: 'loss_pct, rtt_avg_ms, in_util_pct, cpu_load_pct, …' }),
      field('Operator', 'condition.op', inp.op), field('Value', 'condition.value', inp.value),
      field('For', 'condition.forMs', inp.thresholdFor, { hint: 'breaching this long before it raises' }),
      field('Clear at', 'condition.clearValue', inp.clearValue, { hint: 'hysteresis; empty: the value' }))),
    trap: h('fieldset', { dataset: { type: 'trap' } }, h('legend', {}, 'Trap'), h('div', { class: 'fields' },
      field('Trap OID', 'condition.trapOid', inp.trapOid), field('Cleared by trap', 'condition.clearTrapOid', inp.clearTrapOid),
      field('Varbinds must equal', 'condition.varbinds', inp.varbinds, { hint: 'one OID = value a line', wide: true })), trapOids),
    'device-state': h('fieldset', { dataset: { type: 'device-state' } }, h('legend', {}, 'Device state'), h('div', { class: 'fields' },
      field('States', 'condition.states', h('span', { class: 'checks' }, inp.states.map((box) => h('label', {}, box, box.value))), { group: true }),
      field('For', 'condition.forMs', inp.stateFor, { hint: 'in that state this long' }))),
  };
  const showType = () => { for (const [t, g] of Object.entries(groups)) g.hidden = t !== inp.type.value; };
  inp.type.addEventListener('change', showType);
  showType();

  const save = h('button', { type: 'submit', id: 'rule-save' }, isNew ? 'Create rule' : 'Save');
  const f = h('form', { id: 'rule-form', class: 'rule', novalidate: true },
    h('fieldset', { disabled: readOnly, class: 'plain' },
      h('div', { class: 'fields' },
        field('Name', 'name', inp.name), field('Severity', 'severity', inp.severity),
        field('Condition', 'condition.type', inp.type),
        h('label', { class: 'field check', dataset: { path: 'enabled' } }, inp.enabled, 'Enabled'),
        field('Description', 'description', inp.description, { wide: true })),
      h('fieldset', {}, h('legend', {}, 'Applies to'), h('div', { class: 'fields' },
        field('Device', 'match.device', inp.device),
        field('Device tags', 'match.tags', inp.tags, { hint: 'all must match; key=value, space-separated' }))),
      Object.values(groups),
      h('div', { class: 'fields' }, field('Notify', 'notify', inp.notify, { hint: 'notifier names, in addition to the severity routes', wide: true }))),
    formError,
    h('menu', { class: 'actions' },
      readOnly ? null : save,
      h('a', { href: '#/rules', id: 'rule-cancel' }, readOnly ? 'Close' : 'Cancel'),
      h('span', { class: 'spacer' }),
      !isNew && !readOnly ? h('button', { type: 'button', class: 'danger', id: 'rule-delete', onclick: () => onDelete(rule) }, 'Delete') : null));

  /** the rule as the API takes it, and the problems found before sending it */
  function read() {
    const problems = [];
    const bad = (path, message) => problems.push({ path, message });
    const duration = (path, input) => {
      const ms = parseDuration(input.value);
      if (ms === undefined) bad(path, `"${input.value}": expected a duration like 500ms, 30s, 5m, 1h, 7d or a number of seconds`);
      return ms;
    };
    const num = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
    const { tags, bad: badTags } = parseTags(inp.tags.value);
    for (const pair of badTags) bad('match.tags', `"${pair}": expected key=value`);
    const type = inp.type.value;
    let condition;
    if (type === 'threshold') {
      condition = { type, measurement: inp.measurement.value.trim(), field: inp.field.value.trim(), op: inp.op.value, value: num(inp.value),
        forMs: duration('condition.forMs', inp.thresholdFor), clearValue: num(inp.clearValue) };
    } else if (type === 'trap') {
      const varbinds = {};
      for (const line of inp.varbinds.value.split('\n').map((l) => l.trim()).filter(Boolean)) {
        const i = line.indexOf('=');
        if (i <= 0) bad('condition.varbinds', `"${line}": expected OID = value`);
        else varbinds[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      condition = { type, trapOid: inp.trapOid.value.trim(), clearTrapOid: inp.clearTrapOid.value.trim() || undefined,
        varbinds: Object.keys(varbinds).length ? varbinds : undefined };
    } else {
      condition = { type, states: inp.states.filter((b) => b.checked).map((b) => b.value), forMs: duration('condition.forMs', inp.stateFor) };
    }
    const device = inp.device.value.trim();
    const rule = {
      name: inp.name.value.trim(), enabled: inp.enabled.checked, severity: inp.severity.value,
      description: inp.description.value.trim() || undefined,
      match: { device: device || undefined, tags: Object.keys(tags).length ? tags : undefined },
      condition, notify: inp.notify.value.split(/[\s,]+/).filter(Boolean),
    };
    return { rule, problems };
  }

  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const { rule: body, problems } = read();
    show(problems, body);
    if (problems.length) return;
    save.disabled = true;
    try {
      const saved = await api(isNew ? '/api/v1/rules' : `/api/v1/rules/${enc(id)}`, { method: isNew ? 'POST' : 'PUT', body });
      toast(`${isNew ? 'created' : 'saved'} rule ${saved.name}`);
      location.hash = '#/rules';
    } catch (err) {
      show(problemsOf(err, RULE_FIELDS, ENGINE_PATHS), body, err);
    } finally { save.disabled = false; }
  });
  return f;
}

/** trap OID suggestions from the MIB dictionary (notifications only) as the user types */
function suggestNotifications(input, list) {
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 3 || /^[\d.]+$/.test(q)) return;
    timer = setTimeout(async () => {
      try {
        const { items } = await api(`/api/v1/oids?${new URLSearchParams({ q, limit: '200' })}`, { retry: false });
        list.replaceChildren(...items.filter((n) => n.kind === 'notification').slice(0, 30).map((n) => h('option', { value: `${n.module}::${n.name}` }, n.oid)));
      } catch { /* suggestions only */ }
    }, 250);
  });
}

// ---------- the page ----------

async function removeRule(r) {
  if (!(await confirmDialog(`Delete the rule "${r.name}"? Alerts it raised stay until cleared.`, 'Delete'))) return false;
  try {
    await api(`/api/v1/rules/${enc(r.id)}`, { method: 'DELETE' });
    toast(`deleted rule ${r.name}`);
    return true;
  } catch (err) { toast(err.message); return false; }
}

/** #/rules, #/rules/new, #/rules/new/<copy of id>, #/rules/<id> */
export async function rulesPage(id, copyOf) {
  const el = h('div');
  const body = h('tbody');

  async function setEnabled(r, box) {
    const { id: ruleId, ...input } = r;
    try {
      const saved = await api(`/api/v1/rules/${enc(ruleId)}`, { method: 'PUT', body: { ...input, enabled: box.checked } });
      r.enabled = saved.enabled;
      toast(`${r.name}: ${box.checked ? 'enabled' : 'disabled'}`);
    } catch (err) { toast(err.message); box.checked = r.enabled; }
  }

  async function row(r) {
    const fixed = fixedOrigin(r.id);
    const toggle = h('input', { type: 'checkbox', checked: r.enabled, disabled: Boolean(fixed), title: fixed ? `from the ${fixed} (read-only)` : 'enabled', dataset: { action: 'toggle' } });
    toggle.addEventListener('change', () => setEnabled(r, toggle));
    const c = r.condition;
    return h('tr', { dataset: { rule: r.id }, class: r.enabled ? '' : 'rule-off' },
      h('td', {}, toggle),
      h('td', {}, h('a', { href: `#/rules/${enc(r.id)}` }, r.name), fixed ? [' ', h('span', { class: 'badge' }, fixed)] : '', r.description ? h('div', { class: 'muted' }, r.description) : ''),
      h('td', {}, sevBadge(r.severity)),
      h('td', { class: 'mono', title: c.type === 'trap' ? [c.trapOid, c.clearTrapOid].filter(Boolean).join(' / ') : undefined }, await conditionText(c)),
      h('td', { class: 'muted' }, matchText(r.match)),
      h('td', { class: 'muted' }, r.notify.join(', ')),
      h('td', { class: 'actions' },
        fixed ? null : h('a', { href: `#/rules/${enc(r.id)}`, class: 'button secondary', dataset: { action: 'edit' } }, 'Edit'),
        h('a', { href: `#/rules/new/${enc(r.id)}`, class: 'button secondary', dataset: { action: 'copy' } }, 'Copy'),
        fixed ? null : h('button', { class: 'secondary', dataset: { action: 'delete' }, onclick: async () => { if (await removeRule(r)) load(); } }, 'Delete')));
  }

  const lists = latest(); // a delete and a reload overlap: only the newest answer is drawn
  async function load() {
    try {
      // the rows wait for their condition texts (OID names): drawn only while still the newest
      const rows = await lists(async (signal) => {
        const { items } = await api('/api/v1/rules', { signal });
        return items.length ? Promise.all(items.map(row)) : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'no rules'))];
      });
      body.replaceChildren(...rows);
    } catch (err) { if (!(err instanceof Superseded)) body.replaceChildren(h('tr', {}, h('td', { colspan: 7 }, errorBox(err)))); }
  }

  let editor = null;
  if (id) {
    try {
      const isNew = id === 'new';
      const source = isNew ? (copyOf ? await api(`/api/v1/rules/${enc(copyOf)}`) : undefined) : await api(`/api/v1/rules/${enc(id)}`);
      const fixed = isNew ? undefined : fixedOrigin(id);
      const rule = isNew && source ? { ...source, name: `${source.name} copy`, id: undefined } : source;
      const title = isNew ? (source ? `New rule (copy of ${source.name})` : 'New rule') : `${fixed ? 'Rule' : 'Edit rule'} ${source.name}`;
      editor = h('section', { class: 'panel', id: 'rule-editor' }, h('h2', {}, title),
        fixed ? h('p', { class: 'muted' }, `This rule comes from the ${fixed} and cannot be changed here. `, h('a', { href: `#/rules/new/${enc(id)}` }, 'Copy it to a new rule')) : null,
        ruleForm({ id: isNew ? undefined : id, rule, readOnly: Boolean(fixed), onDelete: async (r) => { if (await removeRule(r)) location.hash = '#/rules'; } }));
    } catch (err) { editor = h('section', { class: 'panel', id: 'rule-editor' }, errorBox(err)); }
  }

  const table = h('section', { class: 'panel' }, h('table', { id: 'rules' },
    h('thead', {}, h('tr', {}, ['On', 'Rule', 'Severity', 'Condition', 'Applies to', 'Notify', ''].map((t) => h('th', {}, t)))), body));
  el.append(h('h1', {}, 'Alert rules', h('span', { class: 'spacer' }), id ? null : h('a', { href: '#/rules/new', class: 'button', id: 'new-rule' }, 'New rule')),
    ...(editor ? [editor, table] : [table]));
  await load();
  return { el, refresh: load, dispose: lists.cancel, mounted: () => editor?.querySelector('input[name=name]:not(:disabled)')?.focus() };
}
