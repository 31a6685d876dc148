// Deliverability: bounce and complaint rates against SES's thresholds, the guard's state, the suppression list.
import { h, fill, fmt, table, tile, confirmStep, problemList } from './dom.js';
import * as api from './api.js';

export default async function deliverability(target, _params, { canChange }) {
  const [d, s] = await Promise.all([api.get('/admin/email/deliverability'), api.get('/admin/suppressions')]);
  const paused = Boolean(d.paused ?? d.guard?.paused);
  const status = h('div', { 'aria-live': 'polite' });
  const rate = (label, value, max) => tile(label, fmt.pct(value, 2), h('span', { class: `badge ${value > max ? 'bad' : value > max / 2 ? 'warn' : 'good'}` },
    `guard stops at ${fmt.pct(max, 2)}`));
  fill(target,
    h('h1', {}, 'Deliverability'),
    h('p', { class: 'muted' }, `The last ${d.windowDays} days. SES reviews an account above a 5% bounce rate or a 0.1% complaint rate; the guard stops marketing email sooner, once at least ${fmt.int(d.minimumSent)} were sent.`),
    h('div', { class: 'tiles' },
      tile('Sent', fmt.int(d.sent)),
      rate('Bounce rate', d.bounceRate, d.maxBounceRate),
      rate('Complaint rate', d.complaintRate, d.maxComplaintRate),
      tile('Guard', paused ? 'marketing paused' : 'sending', paused ? d.guard?.reason ?? '' : 'within the thresholds')),
    paused && canChange ? h('button', { type: 'button', class: 'primary', onclick: async () => {
      try { await api.post('/admin/email/deliverability/resume'); deliverability(target, _params, { canChange }); } catch (error) { fill(status, problemList(error)); }
    } }, 'Resume marketing email') : null,
    status,
    h('h2', {}, `Suppressed addresses (${fmt.int(s.suppressions.length)})`),
    table([
      { label: 'Address', cell: (x) => x.email },
      { label: 'Why', cell: (x) => [x.reason, x.detail].filter(Boolean).join(': ') },
      { label: 'Since', cell: (x) => fmt.when(x.at) },
      { label: '', cell: (x) => (canChange ? h('button', { type: 'button', onclick: async () => {
        if (!await confirmStep(`Send to ${x.email} again?`, 'Only when the person asked for it, or the mailbox works again: a second bounce or complaint harms the shop’s sending reputation.', 'Remove')) return;
        try { await api.del(`/admin/suppressions/${api.seg(x.email)}`); deliverability(target, _params, { canChange }); } catch (error) { fill(status, problemList(error)); }
      } }, 'Remove') : '') },
    ], s.suppressions, { caption: 'Suppressed addresses', empty: 'No address is suppressed.' }));
}
