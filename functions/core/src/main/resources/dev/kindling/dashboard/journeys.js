// Journeys: each drawn as a flow from its definition, with its counts per step over the range, on/off, its
// definition to edit, and a simulation of what one person would get (nothing is sent).
import { h, fill, fmt, table, tile, field, alertBox, problemList } from './dom.js';
import * as api from './api.js';
import { rangePicker } from './app.js';

export default async function journeys(target, [id], ctx) {
  if (id) return journey(target, id, ctx);
  const list = await api.get('/admin/journeys');
  const report = await api.get(api.path('/admin/reports/journeys', { from: ctx.dates.from, to: ctx.dates.to }));
  const source = (j) => report.sources?.[`journey:${j.id}`];
  fill(target, h('div', { class: 'bar' }, h('h1', {}, 'Journeys'), rangePicker()),
    table([
      { label: 'Journey', cell: (j) => h('a', { href: `#/journeys/${api.seg(j.id)}` }, j.name) },
      { label: 'State', cell: (j) => h('span', { class: `badge ${j.enabled ? 'on' : ''}` }, j.enabled ? 'on' : 'off') },
      { label: 'Emails sent', num: true, cell: (j) => fmt.int(source(j)?.email?.sent ?? 0) },
      { label: 'Open rate', num: true, cell: (j) => fmt.pct(source(j)?.email?.openRate ?? 0) },
      { label: 'Revenue (last touch)', num: true, cell: (j) => fmt.money(source(j)?.attributed?.last?.revenue ?? 0) },
      { label: 'Cost', num: true, cell: (j) => fmt.usd(source(j)?.costUsd ?? 0) },
    ], list.journeys, { caption: 'Journeys' }));
}

async function journey(target, id, { canChange, dates }) {
  const [doc, stats] = await Promise.all([api.get(`/admin/journeys/${api.seg(id)}`),
    api.get(api.path(`/admin/journeys/${api.seg(id)}/stats`, { from: dates.from, to: dates.to }))]);
  const d = doc.definition;
  const t = stats.journey ?? {};
  const exited = Object.entries(t).filter(([k]) => k.startsWith('exited_'));
  const goalList = (d.goals ?? []).map(goal);
  const goals = new Set(goalList.map((g) => g.exit));
  const converted = exited.filter(([k]) => goals.has(k.slice('exited_'.length))).reduce((n, [, v]) => n + v, 0);
  const status = h('div', { 'aria-live': 'polite' });
  const toggle = canChange ? h('button', { type: 'button', class: d.enabled ? '' : 'primary', onclick: async () => {
    try {
      const body = doc.shipped && !isFlow(doc.stored) ? { ...(doc.stored ?? {}), enabled: !d.enabled } : { ...(doc.stored ?? d), enabled: !d.enabled };
      await api.put(`/admin/journeys/${api.seg(id)}`, body);
      journey(target, id, { canChange, dates });
    } catch (error) {
      fill(status, problemList(error));
    }
  } }, d.enabled ? 'Turn off' : 'Turn on') : null;
  fill(target,
    h('p', {}, h('a', { href: '#/journeys' }, '← Journeys')),
    h('div', { class: 'bar' }, h('h1', {}, d.name ?? id), h('span', { class: `badge ${d.enabled ? 'on' : ''}` }, d.enabled ? 'on' : 'off'), toggle, rangePicker()),
    status,
    h('p', { class: 'muted' }, `Starts ${trigger(d.trigger)}`, d.reentryDays ? ` · once every ${d.reentryDays} days at most` : '',
      goalList.length ? ` · goal: ${goalList.map((g) => g.event).join(', ')}` : ''),
    h('div', { class: 'tiles' },
      tile('Entered', fmt.int(t.entered ?? 0), `${fmt.day(stats.from)} – ${fmt.day(stats.to)}`),
      tile('Converted', fmt.int(converted), 'reached a goal'),
      tile('Exited', fmt.int(exited.reduce((n, [, v]) => n + v, 0)), exited.map(([k, v]) => `${k.slice(7)} ${v}`).join(', ')),
      tile('Completed', fmt.int(t.completed ?? 0)),
      t.holdout ? tile('Held out', fmt.int(t.holdout)) : null),
    h('div', { class: 'split' },
      h('section', { class: 'card' }, h('h2', {}, 'Flow'), flow(d.steps ?? [], stats.steps ?? {}, goals)),
      h('section', { class: 'card' }, h('h2', {}, 'Simulate one person'), simulator(id))),
    h('h2', {}, 'Definition'),
    editor(id, d, canChange, () => journey(target, id, { canChange, dates })));
}

/** A goal as written: an event's name, or {event, exit}; its exit reason is "goal" unless it names one. */
const goal = (g) => (typeof g === 'string' ? { event: g, exit: 'goal' } : { event: g.event, exit: g.exit ?? 'goal' });

const isFlow = (doc) => Boolean(doc && (doc.steps || doc.trigger));

function trigger(tr) {
  if (!tr) return 'when the API starts it';
  if (tr.event) return `on ${tr.event}`;
  if (tr.subscription) return 'when someone subscribes';
  if (tr.segment) return `on entering segment ${tr.segment.id ?? tr.segment}`;
  return JSON.stringify(tr);
}

/**
 * The steps top to bottom, each with what it does, where it branches, how many people reached it and left the
 * journey while at it (by reason, goals as conversions), and its emails' counts.
 */
function flow(steps, counts, goals) {
  const items = [];
  steps.forEach((s, i) => {
    if (i > 0) items.push(h('li', { class: 'arrow', 'aria-hidden': 'true' }, '↓'));
    const kind = ['send', 'wait', 'if', 'split', 'update', 'publish', 'exit'].find((k) => s[k] !== undefined) ?? 'step';
    const c = Object.entries(counts).filter(([k]) => k === s.id || k.startsWith(`${s.id}/`));
    const sum = (key) => c.reduce((n, [, v]) => n + (v[key] ?? 0), 0);
    const left = new Map(); // reason → people who left the journey while at this step
    c.forEach(([, v]) => Object.entries(v).filter(([k]) => k.startsWith('exited_'))
      .forEach(([k, n]) => left.set(k.slice('exited_'.length), (left.get(k.slice('exited_'.length)) ?? 0) + n)));
    const leftText = [...left].map(([reason, n]) => `${fmt.int(n)} ${goals.has(reason) ? `converted (${reason})` : reason}`).join(', ');
    items.push(h('li', { class: `step ${kind === 'wait' ? 'wait' : kind === 'if' || kind === 'split' ? 'branch' : ''}` },
      h('div', { class: 'kind' }, kind, ' · ', h('code', {}, s.id)),
      h('div', {}, describe(kind, s)),
      branches(s),
      h('div', { class: 'counts' }, `${fmt.int(sum('reached'))} reached` + (left.size ? ` · left here: ${leftText}` : '')),
      kind === 'send' ? h('div', { class: 'counts' }, `${fmt.int(sum('send'))} sent · ${fmt.int(sum('open'))} opened · ${fmt.int(sum('click'))} clicked`
        + (sum('bounce') ? ` · ${fmt.int(sum('bounce'))} bounced` : '')) : null));
  });
  items.push(h('li', { class: 'arrow', 'aria-hidden': 'true' }, '↓'), h('li', { class: 'step wait' }, h('div', { class: 'kind' }, 'end')));
  return h('ol', { class: 'flow', 'aria-label': 'Steps' }, items);
}

function describe(kind, s) {
  const v = s[kind];
  switch (kind) {
    case 'send': return `Email “${v.template}”${v.kind === 'transactional' ? ' (transactional)' : ''}${v.variants ? ` with variants ${v.variants.map((x) => x.template ?? x).join(', ')}` : ''}`;
    case 'wait': return typeof v === 'string' ? `Wait ${duration(v)}` : `Wait for ${v.for ?? 'an event'}${v.within ? ` up to ${duration(v.within)}` : ''}${v.until ? ` until ${v.until}` : ''}`;
    case 'if': return `If ${JSON.stringify(v)}`;
    case 'split': return `Split ${JSON.stringify(v)}`;
    case 'exit': return `Exit: ${v}`;
    default: return JSON.stringify(v);
  }
}

function branches(s) {
  const out = [];
  if (s.then) out.push(`yes → ${s.then}`);
  if (s.else) out.push(`no → ${s.else}`);
  if (s.timeout) out.push(`timed out → ${s.timeout}`);
  return out.length ? h('div', { class: 'muted' }, out.join(' · ')) : null;
}

function duration(iso) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso ?? '');
  if (!m) return iso;
  return [[m[1], 'day'], [m[2], 'hour'], [m[3], 'minute']].filter(([n]) => n).map(([n, u]) => `${n} ${u}${n === '1' ? '' : 's'}`).join(' ');
}

function simulator(id) {
  const consent = h('input', { type: 'checkbox', checked: true });
  const events = h('textarea', { spellcheck: 'false', 'aria-label': 'Events after the start (JSON)', style: 'min-height:110px' },
    '[\n  {"after": "P1D", "event": "Product Viewed"}\n]');
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    let list;
    try { list = JSON.parse(events.value || '[]'); } catch (err) { return fill(out, alertBox(`Events are not valid JSON: ${err.message}`)); }
    try {
      const r = await api.post(`/admin/journeys/${api.seg(id)}/simulate`, { contact: { consent: consent.checked, email: true }, events: list });
      fill(out, h('p', {}, `${r.emails.length} email(s); ended ${r.ended ?? r.status}; ${fmt.int(r.transitions)} state transitions (billed by Step Functions).`),
        table([{ label: 'When', cell: (m) => fmt.when(m.at) }, { label: 'Step', cell: (m) => m.step }, { label: 'Template', cell: (m) => m.template },
          { label: 'Outcome', cell: (m) => m.outcome }], r.emails, { empty: 'No email would go out.' }));
    } catch (error) {
      fill(out, problemList(error));
    }
  } },
    field('Subscribed to marketing email', consent, 'inline'),
    h('label', { style: 'display:flex' }, 'What the person does after entering (JSON: after, event, properties)', events),
    h('button', { type: 'submit', class: 'primary' }, 'Simulate'), out);
  return form;
}

function editor(id, definition, canChange, reload) {
  const text = h('textarea', { spellcheck: 'false', 'aria-label': 'Journey definition (JSON)', readonly: !canChange }, JSON.stringify(definition, null, 2));
  const status = h('div', { 'aria-live': 'polite' });
  return h('form', { onsubmit: async (e) => {
    e.preventDefault();
    let doc;
    try { doc = JSON.parse(text.value); } catch (err) { return fill(status, alertBox(`Not valid JSON: ${err.message}`)); }
    try {
      await api.put(`/admin/journeys/${api.seg(id)}`, doc);
      reload();
    } catch (error) {
      fill(status, problemList(error));
    }
  } }, text, h('p', { class: 'muted' }, 'docs/journeys.md describes the steps. Saving checks the definition first and answers with its problems.'),
  canChange ? h('button', { type: 'submit', class: 'primary' }, 'Save definition') : null, status);
}
