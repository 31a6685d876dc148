// Campaigns: the list, a form to create and schedule one (with an optional A/B test), pause, resume,
// cancel, run now, and each run's counts with an A/B test's winner and its probability.
import { h, fill, fmt, table, field, alertBox, problemList } from './dom.js';
import * as api from './api.js';
import * as words from './describe.js';

const DAYS = [['MON', 'Monday'], ['TUE', 'Tuesday'], ['WED', 'Wednesday'], ['THU', 'Thursday'], ['FRI', 'Friday'], ['SAT', 'Saturday'], ['SUN', 'Sunday']];

export default async function campaigns(target, [id], ctx) {
  if (id === 'new') return create(target, ctx);
  if (id) return campaign(target, id, ctx);
  const [list, report] = await Promise.all([api.get('/admin/campaigns'), api.get(api.path('/admin/reports/campaigns', { from: ctx.dates.from, to: ctx.dates.to }))]);
  const source = (c) => report.sources?.[`campaign:${c.id}`];
  fill(target,
    h('div', { class: 'bar' }, h('h1', {}, 'Campaigns'), ctx.canChange ? h('a', { href: '#/campaigns/new', class: 'badge', role: 'button' }, '+ New campaign') : null),
    table([
      { label: 'Campaign', cell: (c) => h('a', { href: `#/campaigns/${api.seg(c.id)}` }, c.name) },
      { label: 'State', cell: (c) => h('span', { class: `badge ${c.state === 'scheduled' || c.state === 'running' ? 'on' : ''}` }, c.saved ? c.state ?? (c.enabled ? 'scheduled' : 'off') : 'ready to use') },
      { label: 'Schedule', cell: (c) => c.schedule ?? (c.saved ? 'on demand' : '–') },
      { label: `Sent (${ctx.dates.days} d)`, num: true, cell: (c) => fmt.int(source(c)?.email?.sent ?? 0) },
      { label: 'Open rate', num: true, cell: (c) => fmt.pct(source(c)?.email?.openRate ?? 0) },
      { label: 'Revenue (last touch)', num: true, cell: (c) => fmt.money(source(c)?.attributed?.last?.revenue ?? 0) },
    ], list.campaigns, { caption: 'Campaigns' }));
}

async function campaign(target, id, { canChange }) {
  const [doc, runs] = await Promise.all([api.get(`/admin/campaigns/${api.seg(id)}`), api.get(`/admin/campaigns/${api.seg(id)}/runs`).catch(() => ({ runs: [] }))]);
  const d = doc.definition;
  const status = h('div', { 'aria-live': 'polite' });
  const act = (label, verb, cls) => h('button', { type: 'button', class: cls, onclick: async () => {
    try {
      const r = await api.post(`/admin/campaigns/${api.seg(id)}/${verb}`);
      fill(status, h('p', { class: 'note', role: 'status' }, `${label}: ${r.state ?? (r.run ? `run ${r.run} started` : 'done')}`));
      setTimeout(() => campaign(target, id, { canChange }), 800);
    } catch (error) {
      fill(status, problemList(error));
    }
  } }, label);
  fill(target,
    h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')),
    h('div', { class: 'bar' }, h('h1', {}, d.name ?? id), h('span', { class: 'badge' }, doc.saved ? doc.state ?? 'saved' : 'ready to use, not saved')),
    h('p', { class: 'muted' }, `Audience: ${(d.audience?.segments ?? []).join(', ') || '–'}`, d.audience?.exclude ? `, minus ${d.audience.exclude.join(', ')}` : '',
      ` · ${d.message?.template ? `template ${d.message.template}` : `variants ${(d.message?.variants ?? []).map((v) => v.template).join(' vs ')}`}`,
      ` · ${words.schedule(d.schedule)}`, d.holdoutPercent ? ` · ${d.holdoutPercent}% held out` : ''),
    canChange && doc.saved ? h('div', { class: 'bar' }, act('Run now', 'run', 'primary'), act('Pause', 'pause'), act('Resume', 'resume'), act('Cancel schedule', 'cancel', 'danger')) : null,
    canChange && !doc.saved ? h('p', {}, h('a', { href: `#/campaigns/new`, onclick: () => { draft.from = { id, ...d }; } }, 'Use this campaign…')) : null,
    status,
    h('h2', {}, 'Runs'),
    runs.runs.length ? runs.runs.map(run) : h('p', { class: 'muted' }, 'No run yet.'));
}

function run(r) {
  const dec = r.decision;
  return h('section', { class: 'card', style: 'margin-bottom:8px' },
    h('h2', {}, `Run ${r.run} `, h('span', { class: `badge ${r.status === 'done' ? 'good' : ''}` }, `${r.phase} · ${r.status}`)),
    h('p', { class: 'muted' }, `started ${fmt.when(r.startedAt)}, updated ${fmt.when(r.updatedAt)}`, r.decideAt ? ` · winner chosen at ${fmt.when(r.decideAt)}` : ''),
    h('p', {}, Object.entries(r.counts ?? {}).map(([k, v]) => `${k.replace(/_/g, ' ')} ${fmt.int(v)}`).join(' · ') || 'nothing counted yet'),
    Object.keys(r.sentByVariant ?? {}).length ? h('p', {}, 'Sent by variant: ', Object.entries(r.sentByVariant).map(([k, v]) => `${k} ${fmt.int(v)}`).join(' · ')) : null,
    dec ? h('div', {},
      h('p', {}, h('strong', {}, dec.conclusive ? `Winner: ${dec.winner}` : `No clear winner yet (${dec.reason ?? 'inconclusive'})`),
        dec.conclusive ? ` · probability to be best ${fmt.pct(Math.max(...(dec.probabilities ?? [0])), 1)}` : ''),
      table([{ label: 'Variant', cell: (a) => a.variant }, { label: 'Recipients', num: true, cell: (a) => fmt.int(a.recipients) },
        { label: 'Successes', num: true, cell: (a) => fmt.int(a.successes) }, { label: 'Rate', num: true, cell: (a) => fmt.pct(a.recipients ? a.successes / a.recipients : 0) },
        { label: 'P(best)', num: true, cell: (_a, i) => fmt.pct(dec.probabilities?.[dec.arms.indexOf(_a)] ?? 0) }], dec.arms ?? [])) : null);
}

/** A ready campaign chosen to start from (its definition fills the form). */
const draft = { from: null };

async function create(target, { canChange }) {
  if (!canChange) return fill(target, alertBox('This token may only read: creating a campaign needs a write token.'));
  const [segs, temps] = await Promise.all([api.get('/admin/segments'), api.get('/admin/templates')]);
  const emails = temps.templates.filter((t) => t.type === 'email');
  const from = draft.from;
  draft.from = null;
  const id = h('input', { name: 'id', required: true, pattern: '[a-z0-9\\-]{1,64}', value: from ? `${from.id}-copy` : '' });
  const name = h('input', { name: 'name', required: true, value: from?.name ?? '' });
  const segment = h('select', { name: 'segment', required: true }, segs.segments.map((s) => h('option', { value: s.id, selected: from?.audience?.segments?.[0] === s.id }, s.name ?? s.id)));
  const template = h('select', { name: 'template' }, emails.map((t) => h('option', { value: t.id, selected: (from?.message?.template ?? 'newsletter') === t.id }, t.name)));
  const variant = h('select', { name: 'variant' }, h('option', { value: '' }, 'no A/B test'), emails.map((t) => h('option', { value: t.id }, t.name)));
  const when = h('select', { name: 'when' }, h('option', { value: 'at' }, 'once, at a time'), h('option', { value: 'weekly' }, 'every week'), h('option', { value: 'now' }, 'on demand (Run now)'));
  const soon = new Date(Date.now() + 2 * 60000);
  const at = h('input', { type: 'datetime-local', name: 'at', step: 60, value: soon.toISOString().slice(0, 16) });
  const day = h('select', { name: 'day' }, DAYS.map(([v, l]) => h('option', { value: v }, l)));
  const time = h('input', { type: 'time', name: 'time', value: '09:00' });
  const holdout = h('input', { type: 'number', name: 'holdout', min: 0, max: 50, value: 0 });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    const doc = { name: name.value, audience: { segments: [segment.value] }, holdoutPercent: Number(holdout.value) || 0 };
    doc.message = variant.value ? { variants: [{ id: 'a', template: template.value }, { id: 'b', template: variant.value }] } : { template: template.value };
    if (variant.value) doc.test = { percent: 20, metric: 'opens', after: 'PT4H', probability: 0.95, minPerVariant: 100 };
    if (when.value === 'at') doc.schedule = { at: at.value.slice(0, 16), zone: 'UTC' };
    if (when.value === 'weekly') {
      const [hh, mm] = time.value.split(':').map(Number);
      doc.schedule = { cron: `${mm} ${hh} ? * ${day.value} *`, zone: 'UTC' };
    }
    try {
      const r = await api.put(`/admin/campaigns/${api.seg(id.value)}`, doc);
      fill(status, h('p', { class: 'note', role: 'status' }, r.nextFiring ? `Scheduled: the next send is at ${fmt.when(r.nextFiring)}.` : 'Saved.', ' ',
        h('a', { href: `#/campaigns/${api.seg(id.value)}` }, 'Open the campaign')));
    } catch (error) {
      fill(status, problemList(error));
    }
  } },
    h('div', { class: 'bar' }, field('Id', id), field('Name', name)),
    h('div', { class: 'bar' }, field('Audience (segment)', segment), field('Template', template), field('A/B variant', variant)),
    h('div', { class: 'bar' }, field('When', when), field('At (UTC)', at), field('Weekday', day), field('Time (UTC)', time), field('Holdout %', holdout)),
    h('p', { class: 'muted' }, 'Only subscribed members get it; the send path checks consent, suppression and the topic for each. An A/B test sends both variants to 20% and the winner by opens to the rest after 4 hours.'),
    h('button', { class: 'primary', type: 'submit' }, 'Save and schedule'), status);
  fill(target, h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')), h('h1', {}, 'New campaign'), form);
}
