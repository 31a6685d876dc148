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

/** The report range: the last 30 days unless the person chose another. */
const range = { days: 30 };
export function dates() {
  const to = new Date();
  const from = new Date(to.getTime() - (range.days - 1) * 86400000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10), days: range.days };
}

/** The range picker, for the pages that report over time; changing it draws the page again. */
export function rangePicker() {
  const select = h('select', { 'aria-label': 'Date range', onchange: (e) => { range.days = Number(e.target.value); route(); } },
    [7, 30, 60, 90].map((d) => h('option', { value: d, selected: d === range.days }, `Last ${d} days`)));
  return h('label', {}, 'Range', select);
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
