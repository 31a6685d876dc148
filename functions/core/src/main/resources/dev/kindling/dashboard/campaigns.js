// Campaigns: the list, a form to create and schedule one (with an optional A/B test), pause, resume,
// cancel, run now, and each run's counts with an A/B test's winner and its probability.
import { h, fill, fmt, table, field, alertBox, problemList } from './dom.js';
import * as api from './api.js';
import * as words from './describe.js';

const DAYS = [['MON', 'Monday'], ['TUE', 'Tuesday'], ['WED', 'Wednesday'], ['THU', 'Thursday'], ['FRI', 'Friday'], ['SAT', 'Saturday'], ['SUN', 'Sunday']];

export default async function campaigns(target, [id, part], ctx) {
  if (id === 'new') return create(target, ctx);
  if (id && part === 'edit') return create(target, ctx, id);
  if (id) return campaign(target, id, ctx);
  const [list, report] = await Promise.all([api.get('/admin/campaigns'), api.get(api.path('/admin/reports/campaigns', { from: ctx.dates.from, to: ctx.dates.to }))]);
  const source = (c) => report.sources?.[`campaign:${c.id}`];
  fill(target,
    h('div', { class: 'bar' }, h('h1', {}, 'Campaigns'), ctx.canChange ? h('a', { href: '#/campaigns/new', class: 'badge', role: 'button' }, '+ New campaign') : null),
    table([
      { label: 'Campaign', cell: (c) => h('a', { href: `#/campaigns/${api.seg(c.id)}` }, c.name) },
      { label: 'State', cell: (c) => h('span', { class: `badge ${c.state === 'scheduled' || c.state === 'running' ? 'on' : ''}` }, c.saved ? c.state ?? (c.enabled ? 'scheduled' : 'off') : 'ready to use') },
      { label: 'Schedule', cell: (c) => (c.saved ? words.schedule(c.when) : '–') },
      { label: `Sent (${ctx.dates.days} d)`, num: true, cell: (c) => fmt.int(source(c)?.email?.sent ?? 0) },
      { label: 'Open rate', num: true, cell: (c) => fmt.pct(source(c)?.email?.openRate ?? 0) },
      { label: 'Revenue (last touch)', num: true, cell: (c) => fmt.money(source(c)?.attributed?.last?.revenue ?? 0) },
    ], list.campaigns, { caption: 'Campaigns' }));
}

async function campaign(target, id, { canChange }) {
  const [doc, runs, segs] = await Promise.all([api.get(`/admin/campaigns/${api.seg(id)}`), api.get(`/admin/campaigns/${api.seg(id)}/runs`).catch(() => ({ runs: [] })),
    api.get('/admin/segments')]);
  const names = Object.fromEntries(segs.segments.map((s) => [s.id, s.name ?? s.id]));
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
    h('p', { class: 'muted' }, `To ${words.audience(d.audience, names)}`,
      ` · ${d.message?.variants ? `variants ${d.message.variants.map((v) => v.subject ? `“${v.subject}”` : v.template ?? d.message.template).join(' vs ')}` : `template ${d.message?.template}`}`,
      d.message?.coupon ? ` · each a unique code of ${d.message.coupon}` : '',
      d.test ? ` · the winner by ${d.test.metric} after ${words.duration(d.test.after)}, tested on ${d.test.percent}%` : '',
      ` · ${words.schedule(d.schedule)}`, d.holdoutPercent ? ` · ${d.holdoutPercent}% held out` : ''),
    canChange && doc.saved ? h('div', { class: 'bar' }, act('Run now', 'run', 'primary'), act('Pause', 'pause'), act('Resume', 'resume'), act('Cancel schedule', 'cancel', 'danger'),
      h('a', { href: `#/campaigns/${api.seg(id)}/edit`, class: 'badge', role: 'button' }, 'Edit')) : null,
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

/** The schedule's kinds, as the form offers them. */
const WHEN = [['now', 'on demand (Run now)'], ['at', 'once, at a time'], ['weekly', 'every week'], ['daily', 'every day'], ['rate', 'every few hours'], ['cron', 'a cron expression']];

/** The form's schedule from a definition's, or null when the form cannot show it (then: a cron expression). */
function whenOf(s) {
  if (!s) return { kind: 'now' };
  if (s.at) return { kind: 'at', at: s.at };
  if (s.rate) return { kind: 'rate', hours: Number(/^(\d+) hours?$/.exec(s.rate)?.[1] ?? 3) };
  const m = /^(\d+) (\d+) (\?|\*) \* (\?|\*|[A-Z]{3}) \*$/.exec(s.cron ?? '');
  if (m && m[4] !== '?' && m[4] !== '*') return { kind: 'weekly', day: m[4], time: `${m[2].padStart(2, '0')}:${m[1].padStart(2, '0')}` };
  if (m) return { kind: 'daily', time: `${m[2].padStart(2, '0')}:${m[1].padStart(2, '0')}` };
  return { kind: 'cron', cron: s.cron };
}

/**
 * The campaign editor: the whole campaign language by form (audience with segments to include and exclude and a date
 * trait; one template or an A/B/n test of variants with weights and its metric, share, wait and confidence; the
 * schedule in UTC, a named zone or each contact's; holdout, topic, frequency cap and quiet hours). New, from a ready
 * campaign, or an existing one's ({id}); saving PUTs the document and (re)makes its schedule.
 */
async function create(target, { canChange }, id = null) {
  if (!canChange) return fill(target, alertBox('This token may only read: changing a campaign needs a write token.'));
  const [segs, temps, existing] = await Promise.all([api.get('/admin/segments'), api.get('/admin/templates'), id ? api.get(`/admin/campaigns/${api.seg(id)}`) : null]);
  const emails = temps.templates.filter((t) => t.type === 'email');
  const from = existing?.definition ?? draft.from;
  draft.from = null;
  const idInput = h('input', { name: 'id', required: true, pattern: '[a-z0-9\\-]{1,64}', readonly: Boolean(id), value: id ?? (from ? `${from.id}-copy` : '') });
  const name = h('input', { name: 'name', required: true, value: from?.name ?? '' });
  const enabled = h('input', { type: 'checkbox', name: 'enabled', checked: from?.enabled !== false });
  const pick = (label, chosen) => h('fieldset', { class: 'group checks' }, h('legend', {}, label),
    segs.segments.map((s) => h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: label, value: s.id, checked: chosen.includes(s.id) }), s.name ?? s.id)));
  const include = pick('Send to the members of', from?.audience?.segments ?? []);
  const exclude = pick('Except the members of', from?.audience?.exclude ?? []);
  const dateTrait = h('input', { name: 'date-trait', list: 'date-traits', placeholder: 'none', value: from?.audience?.date?.trait ?? '' });
  const daysBefore = h('input', { type: 'number', name: 'days-before', min: 0, max: 366, value: from?.audience?.date?.daysBefore ?? 0, style: 'width:5em' });
  const templateOptions = (chosen) => emails.map((t) => h('option', { value: t.id, selected: chosen === t.id }, t.name));
  const variants = h('ol', { class: 'variants', 'aria-label': 'Variants' });
  const addVariant = (template, weight) => {
    const n = variants.children.length + 1;
    variants.append(h('li', { class: 'bar' },
      field(`Variant ${String.fromCharCode(96 + n)} template`, h('select', { class: 'variant-template' }, templateOptions(template))),
      field(`Variant ${String.fromCharCode(96 + n)} weight`, h('input', { type: 'number', class: 'variant-weight', min: 0, max: 100, value: weight ?? '', placeholder: 'even', style: 'width:6em' }))));
    testBox.hidden = variants.children.length < 2;
  };
  const test = from?.test ?? {};
  const metric = h('select', { name: 'metric' }, [['opens', 'opens'], ['clicks', 'clicks'], ['conversions', 'orders per recipient'], ['revenue', 'revenue per recipient']].map(([v, l]) => h('option', { value: v, selected: (test.metric ?? 'opens') === v }, l)));
  const percent = h('input', { type: 'number', name: 'percent', min: 1, max: 100, value: test.percent ?? 20, style: 'width:5em' });
  const afterHours = h('input', { type: 'number', name: 'after-hours', min: 1, value: Number(/^PT(\d+)H$/.exec(test.after ?? '')?.[1] ?? 4), style: 'width:5em' });
  const probability = h('input', { type: 'number', name: 'probability', min: 0.5, max: 0.999, step: 0.01, value: test.probability ?? 0.95, style: 'width:6em' });
  const minPer = h('input', { type: 'number', name: 'min-per-variant', min: 1, value: test.minPerVariant ?? 500, style: 'width:6em' });
  const testBox = h('fieldset', { class: 'group', hidden: true }, h('legend', {}, 'The A/B test'),
    h('div', { class: 'bar' }, field('Test on (% of the audience)', percent), field('Winner by', metric), field('Decide after (hours)', afterHours),
      field('Confidence needed', probability), field('At least, per variant', minPer)),
    h('p', { class: 'muted' }, 'The variants go to the test share first; after the wait the one most likely best goes to everyone else.'));
  const message = from?.message ?? { template: 'newsletter' };
  if (message.variants) message.variants.forEach((v) => addVariant(v.template, v.weight)); else addVariant(message.template);
  const w = whenOf(from?.schedule);
  const when = h('select', { name: 'when' }, WHEN.map(([v, l]) => h('option', { value: v, selected: w.kind === v }, l)));
  const soon = new Date(Date.now() + 2 * 60000);
  const at = h('input', { type: 'datetime-local', name: 'at', step: 60, value: (w.at ?? soon.toISOString()).slice(0, 16) });
  const day = h('select', { name: 'day' }, DAYS.map(([v, l]) => h('option', { value: v, selected: w.day === v }, l)));
  const time = h('input', { type: 'time', name: 'time', value: w.time ?? '09:00' });
  const hours = h('input', { type: 'number', name: 'rate-hours', min: 1, max: 24, value: w.hours ?? 3, style: 'width:5em' });
  const cron = h('input', { name: 'cron', value: w.cron ?? '0 9 ? * MON *', placeholder: '0 9 ? * MON *' });
  const zoneKind = from?.schedule?.zone === 'contact' ? 'contact' : from?.schedule?.zone && from.schedule.zone !== 'UTC' ? 'named' : 'UTC';
  const zone = h('select', { name: 'zone' }, [['UTC', 'UTC'], ['contact', 'each contact’s own time zone'], ['named', 'a time zone…']].map(([v, l]) => h('option', { value: v, selected: zoneKind === v }, l)));
  const zoneName = h('input', { name: 'zone-name', placeholder: 'Europe/Berlin', value: zoneKind === 'named' ? from.schedule.zone : '' });
  const until = h('input', { type: 'date', name: 'until', value: from?.schedule?.until ?? '' });
  const holdout = h('input', { type: 'number', name: 'holdout', min: 0, max: 50, value: from?.holdoutPercent ?? 0, style: 'width:5em' });
  const topic = h('input', { name: 'topic', placeholder: 'the template’s', value: from?.topic ?? '' });
  const cap = h('input', { type: 'checkbox', name: 'frequency-cap', checked: from?.frequencyCap !== false });
  const quiet = h('input', { type: 'checkbox', name: 'quiet-hours', checked: from?.quietHours !== false });
  const timing = h('div', { class: 'bar' });
  const showTiming = () => fill(timing, field('When', when),
    when.value === 'at' ? field('At', at) : null, when.value === 'weekly' ? field('Weekday', day) : null,
    ['weekly', 'daily'].includes(when.value) ? field('Time', time) : null, when.value === 'rate' ? field('Every (hours)', hours) : null,
    when.value === 'cron' ? field('Cron (EventBridge Scheduler)', cron) : null,
    when.value === 'now' ? null : [field('In', zone), zone.value === 'named' ? field('Time zone', zoneName) : null, when.value === 'at' ? null : field('Until (optional)', until)]);
  when.addEventListener('change', showTiming);
  zone.addEventListener('change', showTiming);
  showTiming();
  const status = h('div', { 'aria-live': 'polite' });

  /** The document the form says. */
  const documentOf = () => {
    const checked = (box) => [...box.querySelectorAll('input:checked')].map((c) => c.value);
    const doc = { name: name.value, audience: { segments: checked(include) } };
    if (!enabled.checked) doc.enabled = false;
    if (checked(exclude).length) doc.audience.exclude = checked(exclude);
    if (dateTrait.value.trim()) doc.audience.date = { trait: dateTrait.value.trim(), ...(Number(daysBefore.value) ? { daysBefore: Number(daysBefore.value) } : {}) };
    const rows = [...variants.children];
    if (rows.length === 1) doc.message = { template: rows[0].querySelector('.variant-template').value };
    else {
      doc.message = { variants: rows.map((li, i) => ({ id: String.fromCharCode(97 + i), template: li.querySelector('.variant-template').value,
        ...(li.querySelector('.variant-weight').value ? { weight: Number(li.querySelector('.variant-weight').value) } : {}) })) };
      doc.test = { percent: Number(percent.value), metric: metric.value, after: `PT${Number(afterHours.value)}H`, probability: Number(probability.value), minPerVariant: Number(minPer.value) };
    }
    const z = zone.value === 'named' ? zoneName.value.trim() : zone.value;
    const [hh, mm] = time.value.split(':').map(Number);
    if (when.value === 'at') doc.schedule = { at: at.value.slice(0, 16), zone: z };
    if (when.value === 'weekly') doc.schedule = { cron: `${mm} ${hh} ? * ${day.value} *`, zone: z };
    if (when.value === 'daily') doc.schedule = { cron: `${mm} ${hh} * * ? *`, zone: z };
    if (when.value === 'rate') doc.schedule = { rate: `${Number(hours.value)} hour${Number(hours.value) === 1 ? '' : 's'}`, zone: z };
    if (when.value === 'cron') doc.schedule = { cron: cron.value.trim(), zone: z };
    if (doc.schedule && until.value && when.value !== 'at') doc.schedule.until = until.value;
    if (Number(holdout.value)) doc.holdoutPercent = Number(holdout.value);
    if (topic.value.trim()) doc.topic = topic.value.trim();
    if (!cap.checked) doc.frequencyCap = false;
    if (!quiet.checked) doc.quietHours = false;
    return doc;
  };
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api.put(`/admin/campaigns/${api.seg(idInput.value)}`, documentOf());
      fill(status, h('p', { class: 'note', role: 'status' }, r.nextFiring ? `Scheduled: the next send is at ${fmt.when(r.nextFiring)}.` : 'Saved.', ' ',
        h('a', { href: `#/campaigns/${api.seg(idInput.value)}` }, 'Open the campaign')));
    } catch (error) {
      fill(status, problemList(error));
    }
  } },
    h('div', { class: 'bar' }, field('Id', idInput), field('Name', name), field('On', enabled, 'inline')),
    h('h2', {}, 'Who'), h('div', { class: 'split' }, include, exclude),
    h('div', { class: 'bar' }, field('Only those whose date field is today (optional)', dateTrait), field('Days ahead', daysBefore),
      h('datalist', { id: 'date-traits' }, h('option', { value: 'birthday' }))),
    h('h2', {}, 'What'), variants,
    h('div', { class: 'bar' }, h('button', { type: 'button', onclick: () => addVariant(emails[0]?.id) }, '+ Variant (A/B test)'),
      h('button', { type: 'button', onclick: () => { if (variants.children.length > 1) variants.lastChild.remove(); testBox.hidden = variants.children.length < 2; } }, '− Variant')),
    testBox,
    h('h2', {}, 'When'), timing,
    h('h2', {}, 'Rules'),
    h('div', { class: 'bar' }, field('Held out (%)', holdout), field('Topic', topic), field('The frequency cap holds members back', cap, 'inline'),
      field('Quiet hours hold members back', quiet, 'inline')),
    h('p', { class: 'muted' }, 'Only subscribed members get it; the send path checks consent, suppression and the topic for each.'),
    h('button', { class: 'primary', type: 'submit' }, 'Save and schedule'), status);
  fill(target, h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')), h('h1', {}, id ? `Edit ${from?.name ?? id}` : 'New campaign'), form);
}
