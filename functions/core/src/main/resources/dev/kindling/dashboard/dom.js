// Building the page. Text always goes in as text nodes, never as HTML: a contact's name, a segment's
// title or an event's property shows as typed, whatever it holds.

/** An element: h('a', {href: '#/x', onclick: fn}, 'text', child, [more]). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces what an element holds. */
export function fill(el, ...children) {
  el.replaceChildren();
  add(el, children);
  return el;
}

const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const integers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const moneys = new Map();
/** The shop's currency (its email settings), which money is shown in unless an amount says another. */
let shopCurrency = 'USD';
export function useCurrency(code) {
  shopCurrency = code || 'USD';
}

export const fmt = {
  num: (n) => (n === null || n === undefined ? '–' : numbers.format(n)),
  int: (n) => (n === null || n === undefined ? '–' : integers.format(n)),
  money: (n, currency = shopCurrency, digits = 2) => {
    if (n === null || n === undefined) return '–';
    const code = currency || shopCurrency;
    const key = code + digits;
    if (!moneys.has(key)) {
      try {
        moneys.set(key, new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits }));
      } catch {
        // a code the browser does not know (stored before ingest checked codes) still shows, with its amount
        const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
        moneys.set(key, { format: (x) => `${String(code).slice(0, 8)} ${plain.format(x)}` });
      }
    }
    return moneys.get(key).format(n);
  },
  usd: (n) => fmt.money(n, 'USD', n !== 0 && Math.abs(n) < 1 ? 4 : 2),
  pct: (x, digits = 1) => (x === null || x === undefined ? '–' : (x * 100).toFixed(digits) + '%'),
  when: (iso) => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '–'),
  day: (iso) => (iso ? new Date(iso + (iso.length === 10 ? 'T00:00:00Z' : '')).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }) : '–'),
};

/** A table: columns [{label, cell: row => text or node, num: true}]. */
export function table(columns, rows, { caption, empty = 'Nothing yet.' } = {}) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  // a table wider than a phone scrolls sideways: the keyboard can reach and scroll it too
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption ?? 'Table' }, h('table', {},
    caption ? h('caption', { class: 'sr' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.cell(row))))))));
}

/** A figure tile. */
export function tile(label, value, sub) {
  return h('div', { class: 'tile' }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
}

/** A value typed into a form: a number or true/false as such, anything else as the text. */
export const typed = (v) => (v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v);

/** A drop-down with an accessible name: options [[value, text]], the chosen value, and what a change does. */
export function select(label, options, chosen, onchange) {
  return h('select', { 'aria-label': label, onchange }, options.map(([v, text]) => h('option', { value: v, selected: v === chosen }, text)));
}

/** A labelled control. */
export function field(label, control, cls) {
  // a drop-down's name is its label alone, not the label and the option it shows
  if (control instanceof HTMLSelectElement && !control.hasAttribute('aria-label')) control.setAttribute('aria-label', label);
  return h('label', { class: cls }, label, control);
}

/** Asks before an irreversible step; resolves true when the person confirms. */
export function confirmStep(title, text, action) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title), h('p', {}, text),
      h('form', { method: 'dialog', class: 'bar' },
        h('button', { value: 'cancel', autofocus: true }, 'Cancel'),
        h('button', { value: 'ok', class: 'danger' }, action)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'ok'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Waits for typing to pause before calling fn (the live previews). */
export function debounce(fn, ms = 350) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

export function alertBox(message) {
  return h('div', { class: 'alert', role: 'alert' }, message);
}

/** An API error's message with its list of problems, if any. */
export function problemList(error) {
  const problems = error?.body?.problems ?? error?.problems ?? [];
  return h('div', { class: 'alert', role: 'alert' }, error.message ?? String(error),
    problems.length ? h('ul', { class: 'problems' }, problems.map((p) => h('li', {}, typeof p === 'string' ? p : JSON.stringify(p)))) : null);
}
