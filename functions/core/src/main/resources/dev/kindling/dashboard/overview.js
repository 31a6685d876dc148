// Overview: the shop's figures over the chosen range, from GET /admin/reports/overview (aggregates only).
import { h, fill, fmt, tile } from './dom.js';
import { dailyBars, countBars, perDay } from './chart.js';
import * as api from './api.js';
import { rangePicker } from './app.js';

const STAGE_NAMES = { awareness: 'Awareness', interest: 'Interest', consideration: 'Consideration', intent: 'Intent', evaluation: 'Evaluation',
  purchase: 'Purchase', enjoyment: 'Enjoyment', advocacy: 'Advocacy', bond: 'Bond', at_risk: 'At risk', lapsed: 'Lapsed' };
export const stageName = (id) => STAGE_NAMES[id] ?? id;

export default async function overview(target, _params, { dates }) {
  const r = await api.get(api.path('/admin/reports/overview', { from: dates.from, to: dates.to, compare: 'previous_year' }));
  const money = (n) => fmt.money(n);
  // the same days a year earlier, beside this range's revenue and orders
  const was = r.compared;
  const yearAgo = (now, then, show) => (was ? `${show(then)} a year earlier${then > 0 ? ` (${now >= then ? '+' : ''}${fmt.pct((now - then) / then)})` : ''}` : '');
  const e = r.email;
  const day = (key) => perDay(r.from, r.to, r.rows, key);
  fill(target,
    h('div', { class: 'bar' }, h('h1', {}, 'Overview'), rangePicker()),
    h('p', { class: 'muted' }, `${fmt.day(r.from)} to ${fmt.day(r.to)} (UTC)`),
    // orders in other currencies than the shop's are never added to its figures: shown apart, each in its own
    Object.keys(r.otherCurrencies ?? {}).length === 0 ? null : h('p', { class: 'muted' }, 'Also, in other currencies (not in the figures below): ',
      Object.entries(r.otherCurrencies).map(([code, c]) => `${fmt.int(c.orders)} orders, ${fmt.money(c.revenue, code)}`).join('; ')),
    h('div', { class: 'tiles' },
      tile('Revenue', money(r.revenue.total), `${money(r.revenue.refunded)} refunded; ${yearAgo(r.revenue.total, was?.revenue?.total ?? 0, money)}`),
      tile('Attributed to email', money(r.revenue.attributed.last), 'last touch'),
      tile('Orders', fmt.int(r.orders), `${fmt.int(r.newCustomers)} new customers; ${yearAgo(r.orders, was?.orders ?? 0, fmt.int)}`),
      tile('Average order', money(r.averageOrderValue)),
      tile('Repeat purchase rate', fmt.pct(r.repeatPurchaseRate)),
      tile('NPS', r.nps.score === null ? '–' : fmt.num(r.nps.score), `${fmt.int(r.nps.responses)} responses`),
      tile('Emails sent', fmt.int(e.sent), `${fmt.pct(e.deliveryRate)} delivered`),
      tile('Open rate', fmt.pct(e.openRate), `${fmt.pct(e.clickRate)} click`),
      tile('Sessions', fmt.int(r.sessions), `${fmt.pct(r.conversionRate)} convert`)),
    h('h2', {}, 'Over time'),
    h('div', { class: 'grid' },
      dailyBars('Revenue', day('revenue'), money),
      dailyBars('Attributed to email', day('attributed'), money),
      dailyBars('Orders', day('orders'), fmt.int),
      dailyBars('Emails sent', day('emails_sent'), fmt.int),
      dailyBars('Email opens', day('opens'), fmt.int),
      dailyBars('Sessions', day('sessions'), fmt.int)),
    h('h2', {}, 'Customers by stage now'),
    h('div', { class: 'grid' },
      countBars('Funnel', Object.entries(r.funnel).map(([k, v]) => ({ label: stageName(k), value: v }))),
      countBars('Loyalty loop', Object.entries(r.loyalty).map(([k, v]) => ({ label: stageName(k), value: v })))));
}
