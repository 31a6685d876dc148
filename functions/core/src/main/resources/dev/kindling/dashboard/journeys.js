// Journeys: each drawn as a flow from its definition, with its counts per step over the range, on/off, its
// definition to edit, and a simulation of what one person would get (nothing is sent).
import { h, fill, fmt, table, tile, field, select, typed, alertBox, problemList } from './dom.js';
import * as api from './api.js';
import { rangePicker } from './app.js';
import * as words from './describe.js';
import { COMMON_EVENTS } from './builder.js';
import { journeyBuilder, representable, iso } from './journey-builder.js';

export default async function journeys(target, [id, part], ctx) {
  if (id === 'new' && ctx.canChange) return edit(target, null, ctx);
  if (id && part === 'edit' && ctx.canChange) return edit(target, id, ctx);
  if (id) return journey(target, id, ctx);
  const list = await api.get('/admin/journeys');
  const report = await api.get(api.path('/admin/reports/journeys', { from: ctx.dates.from, to: ctx.dates.to }));
  const source = (j) => report.sources?.[`journey:${j.id}`];
  fill(target, h('div', { class: 'bar' }, h('h1', {}, 'Journeys'), ctx.canChange ? h('a', { href: '#/journeys/new', class: 'badge', role: 'button' }, '+ New journey') : null, rangePicker()),
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
    h('div', { class: 'bar' }, h('h1', {}, d.name ?? id), h('span', { class: `badge ${d.enabled ? 'on' : ''}` }, d.enabled ? 'on' : 'off'), toggle,
      canChange ? h('a', { href: `#/journeys/${api.seg(id)}/edit`, class: 'badge', role: 'button' }, 'Edit') : null, rangePicker()),
    status,
    h('p', { class: 'muted' }, `Starts ${words.trigger(d.trigger)}`, d.reentryDays ? ` · once every ${d.reentryDays} days at most` : '',
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
    // the definition as code, for developers, closed unless asked for
    h('details', {}, h('summary', {}, 'Definition (code)'), editor(id, d, canChange, () => journey(target, id, { canChange, dates }))));
}

/** A journey by form ({@link journeyBuilder}), new or an existing one's definition; saving PUTs it as a new version. */
async function edit(target, id, ctx) {
  const [doc, templates, segments, sent] = await Promise.all([id ? api.get(`/admin/journeys/${api.seg(id)}`) : null, api.get('/admin/templates'),
    api.get('/admin/segments'), api.get('/admin/events')]);
  const definition = doc?.definition ?? { name: '', enabled: false, trigger: { event: 'Checkout Started' }, key: 'contact',
    steps: [{ id: 'wait-first', wait: 'PT1H' }, { id: 'first', send: templates.templates[0]?.id ?? '' }] };
  const status = h('div', { 'aria-live': 'polite' });
  const idInput = h('input', { value: id ?? '', required: true, pattern: '[a-z0-9\\-]{1,64}', readonly: Boolean(id) });
  if (!representable(definition)) {
    fill(target, h('p', {}, h('a', { href: `#/journeys/${api.seg(id)}` }, '← Back')), h('h1', {}, definition.name ?? id),
      h('p', { class: 'note' }, 'This journey uses parts the builder cannot show; edit it in its definition (code) on the journey’s page.'));
    return;
  }
  const builder = journeyBuilder(definition, { templates: templates.templates, segments: segments.segments, events: sent.events });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api.put(`/admin/journeys/${api.seg(idInput.value)}`, builder.value());
      location.hash = `#/journeys/${api.seg(idInput.value)}`;
    } catch (error) {
      fill(status, builder.showProblems(error));
    }
  } },
    id ? null : h('div', { class: 'bar' }, field('Id', idInput), h('span', { class: 'muted' }, 'Lower-case letters, digits and dashes.')),
    builder.element,
    h('div', { class: 'bar' }, h('button', { type: 'submit', class: 'primary' }, id ? 'Save as a new version' : 'Create journey'),
      h('a', { href: id ? `#/journeys/${api.seg(id)}` : '#/journeys' }, 'Cancel')), status);
  fill(target, h('p', {}, h('a', { href: '#/journeys' }, '← Journeys')), h('h1', {}, id ? `Edit ${definition.name ?? id}` : 'New journey'), form);
}

/** A goal as written: an event's name, or {event, exit}; its exit reason is "goal" unless it names one. */
const goal = (g) => (typeof g === 'string' ? { event: g, exit: 'goal' } : { event: g.event, exit: g.exit ?? 'goal' });

const isFlow = (doc) => Boolean(doc && (doc.steps || doc.trigger));

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
    case 'send': {
      const template = typeof v === 'string' ? v : v.template;
      const others = Object.entries(v.variants ?? {}).map(([variant, t]) => `“${t}” for variant ${variant}`);
      return `Email “${template}”${v.kind === 'transactional' ? ' (transactional)' : ''}${others.length ? `, ${others.join(', ')}` : ''}`;
    }
    case 'wait': return words.wait(v);
    case 'if': return `If ${words.condition(v)}`;
    case 'split': return `Split ${v.map((arm) => `${arm.name} ${arm.weight}%${arm.then ? ` → ${arm.then}` : ''}`).join(' · ')}`;
    case 'exit': return `Exit: ${v === true ? 'exited' : v}`;
    case 'update': return `Update ${Object.entries(v.traits ?? {}).map(([k, x]) => `${k} to ${typeof x === 'string' ? x : String(x)}`).join(', ') || 'the contact'}`;
    case 'publish': return `Publish ${v.type} on the bus${v.withEvent ? ` (with ${v.withEvent})` : ''}`;
    default: return 'A step this page cannot show: open the definition';
  }
}

function branches(s) {
  const out = [];
  if (s.then) out.push(`yes → ${s.then}`);
  if (s.else) out.push(`no → ${s.else}`);
  if (s.timeout) out.push(`timed out → ${s.timeout}`);
  return out.length ? h('div', { class: 'muted' }, out.join(' · ')) : null;
}

/**
 * Simulating one person by form: who (a new person, subscribed or not, or a contact found by email) and what they do
 * after entering, as rows of "after N hours or days: an event, with properties". Nothing is sent or stored.
 */
function simulator(id) {
  const who = select('Who', [['new', 'A new person'], ['contact', 'A contact, by email']], 'new', () => { described.hidden = who.value !== 'new'; found.hidden = who.value === 'new'; });
  const consent = h('input', { type: 'checkbox', checked: true });
  const hasEmail = h('input', { type: 'checkbox', checked: true });
  const described = h('div', { class: 'bar' }, field('Subscribed to marketing email', consent, 'inline'), field('Has an email address', hasEmail, 'inline'));
  const email = h('input', { type: 'email', 'aria-label': 'Contact’s email', placeholder: 'name@example.com' });
  const found = h('div', { hidden: true }, email);
  const rows = h('ol', { class: 'sim-events', 'aria-label': 'What the person does after entering' });
  const addRow = (after = 1, unit = 'days', event = '') => {
    const n = rows.children.length + 1;
    const props = h('span', { class: 'filter' });
    const addProp = () => props.append(h('span', { class: 'filter' },
      h('input', { 'aria-label': `Event ${n}: property name`, class: 'prop-name', size: 10 }), '=', h('input', { 'aria-label': `Event ${n}: property value`, class: 'prop-value', size: 10 })));
    rows.append(h('li', { class: 'row' }, 'after ',
      h('input', { type: 'number', min: 0, value: after, 'aria-label': `Event ${n}: after (number)`, class: 'after', style: 'width:5em' }),
      select(`Event ${n}: after (unit)`, [['minutes', 'minutes'], ['hours', 'hours'], ['days', 'days']], unit, () => {}),
      h('input', { 'aria-label': `Event ${n}: event`, class: 'event', list: 'builder-events', value: event, placeholder: 'Order Completed' }),
      props, h('button', { type: 'button', onclick: addProp }, '+ property'),
      h('button', { type: 'button', 'aria-label': `Remove event ${n}`, onclick: (e) => e.target.closest('li').remove() }, '×')));
  };
  addRow(1, 'days', 'Product Viewed');
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    const events = [...rows.children].map((li) => {
      const n = Number(li.querySelector('.after').value || 0);
      const unit = li.querySelector('select').value;
      const properties = Object.fromEntries([...li.querySelectorAll('.prop-name')].map((p) => [p.value.trim(), typed(p.nextElementSibling.value)]).filter(([k]) => k));
      return { after: iso(n, unit), event: li.querySelector('.event').value.trim(), properties };
    }).filter((x) => x.event);
    try {
      let person = { contact: { consent: consent.checked, email: hasEmail.checked } };
      if (who.value === 'contact') {
        const view = await api.get(api.path('/admin/contacts', { email: email.value.trim() }));
        person = { contactId: view.contact.contactId };
      }
      const r = await api.post(`/admin/journeys/${api.seg(id)}/simulate`, { ...person, events });
      fill(out, h('p', {}, `${r.emails.length} email(s); ${ending(r.ended ?? r.status)}; ${fmt.int(r.transitions)} state transitions (billed by Step Functions), ${fmt.int(r.scheduledTurns ?? 0)} turn(s) on a schedule.`),
        table([{ label: 'When', cell: (m) => fmt.when(m.at) }, { label: 'Step', cell: (m) => m.step }, { label: 'Template', cell: (m) => m.template },
          { label: 'Outcome', cell: (m) => m.outcome }], r.emails, { empty: 'No email would go out.' }));
    } catch (error) {
      fill(out, problemList(error));
    }
  } },
    h('div', { class: 'bar' }, field('Who', who), described, found),
    h('p', {}, 'What they do after entering:'), rows,
    h('datalist', { id: 'builder-events' }, COMMON_EVENTS.map((x) => h('option', { value: x }))),
    h('div', { class: 'bar' }, h('button', { type: 'button', onclick: () => addRow() }, '+ Event'), h('button', { type: 'submit', class: 'primary' }, 'Simulate')), out);
  return form;
}

/** How a simulated entry ended, in words. */
const ending = (x) => (x?.startsWith('exited: ') ? `left the journey (${x.slice('exited: '.length)})` : x === 'completed' ? 'went through to the end' : `ended ${x}`);


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
