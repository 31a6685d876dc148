// The dashboard's shell: sign-in, the pages' navigation (hash routes, so the server serves one page),
// and the date range every report page reads.
import { h, fill, alertBox, useCurrency } from './dom.js';
import * as api from './api.js';
import overview from './overview.js';
import contacts from './contacts.js';
import segments from './segments.js';
import journeys from './journeys.js';
import campaigns from './campaigns.js';
import templates from './templates.js';
import deliverability from './deliverability.js';
import cost from './cost.js';
import imports from './imports.js';

const PAGES = [
  ['overview', 'Overview', overview],
  ['contacts', 'Contacts', contacts],
  ['segments', 'Segments', segments],
  ['journeys', 'Journeys', journeys],
  ['campaigns', 'Campaigns', campaigns],
  ['templates', 'Templates', templates],
  ['deliverability', 'Deliverability', deliverability],
  ['cost', 'Cost', cost],
  ['imports', 'Imports', imports],
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');

/** The report range (UTC dates): the last 30 days unless the person chose another; the API takes up to two years. */
const range = { choice: '30', from: null, to: null };
const DAY = 86400000;
const iso = (d) => d.toISOString().slice(0, 10);
export function dates() {
  const today = new Date();
  const year = today.getUTCFullYear();
  let from, to;
  if (range.choice === 'this-year') [from, to] = [`${year}-01-01`, iso(today)];
  else if (range.choice === 'last-year') [from, to] = [`${year - 1}-01-01`, `${year - 1}-12-31`];
  else if (range.choice === 'custom' && range.from && range.to) [from, to] = [range.from, range.to];
  else [from, to] = [iso(new Date(today.getTime() - (Number(range.choice === 'custom' ? 30 : range.choice) - 1) * DAY)), iso(today)];
  return { from, to, days: Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1 };
}

/** The range picker, for the pages that report over time: the last days, this year, last year or two dates; a change draws the page again. */
export function rangePicker() {
  const choices = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days'], ['365', 'Last 365 days'],
    ['this-year', 'This year'], ['last-year', 'Last year'], ['custom', 'Custom range']];
  const select = h('select', { 'aria-label': 'Date range', onchange: (e) => { range.choice = e.target.value; route(); } },
    choices.map(([value, label]) => h('option', { value, selected: value === range.choice }, label)));
  if (range.choice !== 'custom') return h('label', {}, 'Range', select);
  const shown = dates();
  const day = (name) => h('input', { type: 'date', 'aria-label': name === 'from' ? 'From' : 'To', value: shown[name],
    onchange: (e) => { range.from = range.from || shown.from; range.to = range.to || shown.to; range[name] = e.target.value; route(); } });
  return h('label', {}, 'Range', select, day('from'), day('to'));
}

function signInPage(message) {
  nav.hidden = true;
  fill(document.getElementById('shop'));
  fill(document.getElementById('who'));
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, 'aria-describedby': 'token-help' });
  const form = h('form', { class: 'signin', onsubmit: async (e) => {
    e.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await api.signIn(input.value.trim());
      shell();
      if (!location.hash || location.hash === '#/') location.hash = '#/overview';
      else route();
    } catch (error) {
      button.disabled = false;
      fill(status, alertBox(error.status === 401 ? 'That token is not an admin token of any shop.' : `Could not sign in: ${error.message}`));
      input.focus();
    }
  } },
    h('h1', {}, 'Sign in'),
    h('p', { id: 'token-help', class: 'muted' }, 'Paste a shop admin token. It is kept in this tab’s memory only, so reloading the page signs you out.'),
    h('label', {}, 'Admin token', input),
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'));
  const status = h('div', { 'aria-live': 'polite' }, message ? alertBox(message) : null);
  fill(main, form, status);
  input.focus();
}

function shell() {
  const session = api.current();
  useCurrency(session.currency);
  fill(document.getElementById('shop'), session.shop.name, ' ', h('span', { class: 'muted' }, `(${session.shop.id})`));
  fill(document.getElementById('who'),
    h('span', { class: `badge ${session.canChange ? 'on' : 'warn'}` }, session.canChange ? 'can change' : 'read only'),
    h('button', { type: 'button', onclick: () => { api.signOut(); location.hash = ''; signInPage(); } }, 'Sign out'));
  fill(nav, PAGES.map(([id, label]) => h('a', { href: `#/${id}`, 'data-page': id }, label)));
  nav.hidden = false;
}

let drawing = 0;
async function route() {
  if (!api.current()) return signInPage();
  const [, page = 'overview', ...rest] = location.hash.replace(/^#/, '').split('/');
  const entry = PAGES.find(([id]) => id === page) ?? PAGES[0];
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.page === entry[0]) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const mine = ++drawing;
  const target = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(main, target);
  try {
    await entry[2](target, rest.map(decodeURIComponent), { canChange: api.canChange(), dates: dates() });
  } catch (error) {
    if (mine !== drawing) return;
    if (error.status === 401) return signInPage('The token was refused; sign in again.');
    fill(target, alertBox(`Could not load this page: ${error.message}`));
  } finally {
    target.removeAttribute('aria-busy');
  }
  if (mine === drawing) document.title = `${entry[1]} · Kindling`;
}

window.addEventListener('hashchange', () => { route(); main.focus({ preventScroll: true }); });
window.addEventListener('kindling:signed-out', () => signInPage('You were signed out: the token is no longer accepted.'));
signInPage();
