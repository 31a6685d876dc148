// Cost: this month's AWS bill so far by part and per journey and campaign (GET /admin/reports/cost: the
// operations counted per shop, priced at the usage the month benchmark measured), beside Klaviyo's price.
import { h, fill, fmt, table, tile } from './dom.js';
import { countBars } from './chart.js';
import * as api from './api.js';

export default async function cost(target) {
  const today = new Date().toISOString().slice(0, 10);
  const from = today.slice(0, 8) + '01';
  const r = await api.get(api.path('/admin/reports/cost', { from, to: today }));
  const days = Math.round((Date.parse(today) - Date.parse(from)) / 86400000) + 1;
  const inMonth = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).getUTCDate();
  const projected = (r.totalUsd / days) * inMonth;
  const k = r.klaviyo ?? {};
  const byService = new Map();
  for (const line of r.rows) byService.set(line.service, (byService.get(line.service) ?? 0) + line.usd);
  const sources = Object.entries(r.bySource ?? {}).sort((a, b) => b[1] - a[1]);
  fill(target,
    h('h1', {}, 'Cost'),
    h('p', { class: 'muted' }, `This month so far: ${fmt.day(r.from)} to ${fmt.day(r.to)} (${days} of ${inMonth} days), at AWS list prices (us-east-1).`),
    h('div', { class: 'tiles' },
      tile('AWS bill so far', fmt.usd(r.totalUsd), `${fmt.int(r.counted.event)} events · ${fmt.int(r.counted.email)} emails`),
      tile('Projected month', fmt.usd(projected), 'at this month’s pace'),
      tile('Klaviyo, same profiles', k.monthlyUsd === null || k.monthlyUsd === undefined ? 'above its listed tiers' : fmt.usd(k.monthlyUsd),
        `${fmt.int(k.profiles)} profiles${k.tierUpTo ? `, tier up to ${fmt.int(k.tierUpTo)}` : ''}`),
      k.monthlyUsd ? tile('AWS ÷ Klaviyo', projected > 0 ? `${(projected / k.monthlyUsd).toFixed(3)}` : '–', 'projected month against the plan') : null),
    h('div', { class: 'grid' },
      countBars('By part (USD)', [...byService].map(([label, value]) => ({ label, value })), fmt.usd),
      h('section', { class: 'card' }, h('h2', {}, 'Per journey and campaign'),
        table([{ label: 'Source', cell: ([s]) => s.replace(/^journey:/, 'journey ').replace(/^campaign:/, 'campaign ').replace(/^template:/, 'template ') },
          { label: 'Cost', num: true, cell: ([, usd]) => fmt.usd(usd) }], sources, { empty: 'No email sent this month.' }))),
    h('h2', {}, 'The bill line by line'),
    table([
      { label: 'Service', cell: (x) => x.service }, { label: 'What', cell: (x) => x.what },
      { label: 'Quantity', num: true, cell: (x) => fmt.num(x.quantity) }, { label: 'Unit', cell: (x) => x.unit },
      { label: 'Unit price', num: true, cell: (x) => `$${x.unit_price_usd}` }, { label: 'USD', num: true, cell: (x) => fmt.usd(x.usd) },
    ], r.rows, { caption: 'The bill line by line' }),
    h('p', { class: 'muted' }, k.source ? `Klaviyo's prices: ${k.source}.` : '', ' CloudWatch Logs, data transfer and storage are not in the bill (docs/reports.md).'));
}
