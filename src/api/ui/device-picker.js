// A type-ahead for choosing devices by name (parents, maintenance windows): the input suggests
// through a <datalist> at most MATCHES names from GET /api/v1/devices?q=, so 10,000 devices
// never become 10,000 options; the chosen ones show as removable chips.
import { api, h, latest } from './lib.js';

const MATCHES = 50;
const TYPE_PAUSE_MS = 150;

/**
 * `id`, `name`: the input's; `chosen`: the names picked at first; `exclude`: names never offered
 * (the device itself). `value()` is the chosen names plus a name still typed in the input.
 */
export function devicePicker({ id, name, chosen = [], exclude = [], placeholder = 'type a device name' }) {
  const listId = `${id}-list`;
  const input = h('input', { id, name, list: listId, autocomplete: 'off', placeholder });
  const options = h('datalist', { id: listId });
  const hint = h('small', { class: 'muted', id: `${id}-matches` });
  const chips = h('ul', { class: 'chips', id: `${id}-chosen` });
  let picked = [];
  let timer;
  const suggestions = latest(); // a later keystroke asks again: only the newest answer is offered

  const draw = () => chips.replaceChildren(...picked.map((n) => h('li', { dataset: { chosen: n } }, n,
    h('button', { type: 'button', class: 'secondary', title: `remove ${n}`, 'aria-label': `remove ${n}`, onclick: () => { picked = picked.filter((x) => x !== n); draw(); suggest(); } }, '×'))));
  const add = (n) => {
    if (n && !picked.includes(n) && !exclude.includes(n)) picked.push(n);
    input.value = '';
    draw();
    suggest();
  };
  async function suggest() {
    const typed = input.value.trim();
    const q = new URLSearchParams({ q: typed, limit: String(MATCHES + picked.length + exclude.length) });
    try {
      const { res, items } = await suggestions(async (signal) => {
        const r = await api(`/api/v1/devices?${q}`, { raw: true, signal });
        return { res: r, items: (await r.json()).items };
      });
      const total = Number(res.headers.get('x-total-count') ?? items.length);
      const names = items.map((d) => d.name).filter((n) => !picked.includes(n) && !exclude.includes(n)).slice(0, MATCHES);
      options.replaceChildren(...names.map((n) => h('option', { value: n })));
      options.dataset.q = typed; // what the offered names answer: lets a test wait for them
      hint.textContent = total > items.length ? `${names.length} of ${total} matches offered: type more of the name` : '';
    } catch { /* no suggestions: a name can still be typed */ }
  }
  input.addEventListener('input', (ev) => {
    // a suggestion picked from the list comes without a typing inputType
    if (!ev.inputType || ev.inputType === 'insertReplacementText') {
      if ([...options.options].some((o) => o.value === input.value)) { add(input.value); return; }
    }
    clearTimeout(timer);
    timer = setTimeout(suggest, TYPE_PAUSE_MS);
  });
  input.addEventListener('focus', () => suggest(), { once: true });
  input.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || !input.value.trim()) return;
    ev.preventDefault(); // not the form's submit: Enter takes the typed name
    add(input.value.trim());
  });

  const set = (names) => { picked = [...names]; input.value = ''; draw(); };
  set(chosen);
  return {
    el: h('span', { class: 'device-picker' }, input, options, chips, hint),
    input,
    value: () => [...picked, ...(input.value.trim() && !picked.includes(input.value.trim()) ? [input.value.trim()] : [])],
    set,
  };
}
