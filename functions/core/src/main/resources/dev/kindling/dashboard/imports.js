// Imports: the shop's history brought in — a file (Shopify's customer or order CSV export, Segment-spec JSONL) sent from
// the browser, or a pull from Shopify or WooCommerce — and every import with its progress, what it did and the first
// problems by line (POST /admin/imports, GET /admin/imports). History starts no journey and sends nothing.
import { h, fill, fmt, table, field, alertBox } from './dom.js';
import * as api from './api.js';

const FORMATS = [
  ['shopify-customers-csv', 'Shopify customers (CSV export)'],
  ['shopify-orders-csv', 'Shopify orders (CSV export)'],
  ['segment-jsonl', 'Segment calls (JSONL)'],
];
/** What the browser sends in one call; a larger file goes through `bin/kindling import`, which uploads it first. */
const MAX_BYTES = 4 * 1024 * 1024;

export default async function imports(target, _rest, { canChange }) {
  const list = h('div', { 'aria-live': 'polite' });
  const status = h('div', { 'aria-live': 'polite' });
  let timer = null;

  async function refresh() {
    if (!target.isConnected) return;
    const r = await api.get('/admin/imports');
    fill(list, table([
      { label: 'Started', cell: (i) => fmt.when(i.startedAt) },
      { label: 'Source', cell: (i) => h('span', {}, i.name, h('br'), h('code', {}, i.format)) },
      { label: 'Status', cell: (i) => i.status === 'running' && i.total
        ? h('span', {}, h('progress', { max: i.total, value: i.read, 'aria-label': `${i.read} of ${i.total} read` }), ` ${fmt.int(i.read)} / ${fmt.int(i.total)}`)
        : h('span', { class: i.status === 'failed' ? 'badge bad' : 'badge' }, i.status) },
      { label: 'Imported', num: true, cell: (i) => fmt.int(i.imported) },
      { label: 'Into known profiles', num: true, cell: (i) => fmt.int(i.merged) },
      { label: 'Unchanged', num: true, cell: (i) => fmt.int(i.unchanged) },
      { label: 'Skipped', num: true, cell: (i) => fmt.int(i.skipped) },
      { label: 'Rows/s', num: true, cell: (i) => fmt.int(i.rowsPerSecond) },
      { label: 'Problems', cell: (i) => i.error ? i.error : i.problems.length
        ? h('details', {}, h('summary', {}, `${i.problems.length} shown`), h('ul', { class: 'problems' }, i.problems.map((p) => h('li', {}, `line ${p.line}: ${p.reason}`))))
        : '–' },
    ], r.imports, { caption: 'Imports', empty: 'No import yet.' }));
    clearTimeout(timer);
    if (r.imports.some((i) => i.status === 'running')) timer = setTimeout(refresh, 1000);
  }

  async function started(call) {
    fill(status);
    try {
      const s = await call();
      fill(status, h('p', {}, `Import ${s.id} started.`));
      await refresh();
    } catch (error) {
      fill(status, alertBox(error.message));
    }
  }

  const format = h('select', { name: 'format' }, FORMATS.map(([value, label]) => h('option', { value }, label)));
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,.jsonl,.json,.txt,text/csv', required: true });
  const form = h('form', { class: 'card', onsubmit: (e) => {
    e.preventDefault();
    const chosen = file.files[0];
    if (!chosen) return fill(status, alertBox('Choose a file first.'));
    if (chosen.size > MAX_BYTES) return fill(status, alertBox(`The file is ${fmt.int(chosen.size)} bytes; the dashboard sends up to ${fmt.int(MAX_BYTES)}. Use bin/kindling import, which uploads larger files.`));
    started(() => api.call('POST', api.path('/admin/imports', { format: format.value, name: chosen.name }), chosen, 'application/octet-stream'));
  } },
  h('h2', {}, 'Import a file'),
  field('Format', format), field('File', file),
  h('div', { class: 'bar' }, h('button', { type: 'submit' }, 'Import file')));
  const pulls = h('section', { class: 'card' }, h('h2', {}, 'Pull from the shop'),
    h('p', { class: 'muted' }, 'Every customer and order, through the API the shop’s configuration names (shopifyAdmin or wooCommerceApi).'),
    h('div', { class: 'bar' },
      h('button', { type: 'button', onclick: () => started(() => api.post('/admin/imports', { source: 'shopify' })) }, 'Pull from Shopify'),
      h('button', { type: 'button', onclick: () => started(() => api.post('/admin/imports', { source: 'woocommerce' })) }, 'Pull from WooCommerce')));

  fill(target,
    h('h1', {}, 'Imports'),
    h('p', { class: 'muted' }, 'The shop’s history as history: profiles, consent with its evidence, orders, scores, stages and segments as if it had arrived live; no journey starts and nothing is sent because of it. The same file twice changes nothing.'),
    canChange ? h('div', { class: 'grid' }, form, pulls) : null,
    status,
    h('h2', {}, 'Imports'),
    list);
  await refresh();
}
