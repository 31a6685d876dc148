// The journey builder: a journey's settings and its steps by form, with no JSON. The trigger, key, re-entry, holdout,
// goals and data; each step a card (send, wait, branch, split, update, publish, exit) that can be added, moved and
// removed, a branch's condition by the condition builder. It reads and writes the document PUT /admin/journeys/{id}
// takes; the problems the API answers are shown at the step they name (steps[2]…). A definition it cannot show exactly
// is left to the code.
import { h, fill, field, select, typed, problemList } from './dom.js';
import { conditionBuilder, COMMON_EVENTS } from './builder.js';

const KINDS = [['send', 'Send an email'], ['wait', 'Wait'], ['if', 'Branch on a condition'], ['split', 'Split at random'],
  ['update', 'Update the contact'], ['publish', 'Publish a bus event'], ['exit', 'Leave the journey']];
const kindOf = (step) => KINDS.map(([k]) => k).find((k) => step[k] !== undefined);

/** An ISO-8601 duration as {n, unit} (the form's number and unit), or null when it is not one amount of one unit. */
function amount(iso) {
  const m = /^P(?:(\d+)D|T(\d+)H|T(\d+)M)$/.exec(iso ?? '');
  if (!m) return null;
  return m[1] ? { n: Number(m[1]), unit: 'days' } : m[2] ? { n: Number(m[2]), unit: 'hours' } : { n: Number(m[3]), unit: 'minutes' };
}
/** {n} of a unit (minutes, hours, days) as an ISO-8601 duration. */
export const iso = (n, unit) => (unit === 'days' ? `P${n}D` : unit === 'hours' ? `PT${n}H` : `PT${n}M`);

/** Whether the builder shows {d} exactly: each part it has no control for leaves it to the code. */
export function representable(d) {
  const top = ['name', 'enabled', 'trigger', 'key', 'reentryDays', 'holdoutPercent', 'dailyCap', 'goals', 'data', 'variants', 'steps'];
  if ((d.variants ?? []).some((v) => Object.keys(v).some((k) => !['name', 'weight'].includes(k)))) return false;
  if (Object.keys(d).some((k) => !top.includes(k))) return false;
  if (d.trigger && !(d.trigger.event || d.trigger.subscription || d.trigger.segment || d.trigger.api)) return false;
  if (Object.values(d.data ?? {}).some((v) => typeof v === 'object' && v !== null)) return false;
  return (d.steps ?? []).every((s) => {
    const kind = kindOf(s);
    if (!kind) return false;
    const v = s[kind];
    if (kind === 'send') return typeof v === 'string' || (typeof v === 'object' && !v.links && Object.values(v.variants ?? {}).every((t) => typeof t === 'string'));
    if (kind === 'wait') return typeof v === 'string' ? amount(v) !== null : v.until !== undefined || (v.for !== undefined && (!v.within || amount(v.within)));
    if (kind === 'update') return Object.values(v.traits ?? {}).every((x) => typeof x !== 'object' || x === null) && Object.keys(v).every((k) => k === 'traits');
    if (kind === 'publish') return Object.keys(v).every((k) => ['type', 'withEvent'].includes(k));
    return true;
  });
}

/**
 * The builder for {definition}; {templates}: [{id, name}]; {segments}: [{id, name}]; {events}: the shop's event names.
 * Returns {element, value(), showProblems(error)}.
 */
export function journeyBuilder(definition, { templates = [], segments = [], events = [] }) {
  const d = structuredClone(definition);
  d.steps = d.steps ?? [];
  const offered = [...new Set([...events, ...COMMON_EVENTS])];
  const element = h('div', { class: 'journey-builder' });
  let problems = [];

  const render = () => {
    const controls = () => [...element.querySelectorAll('input, select, button')];
    const focused = controls().indexOf(document.activeElement);
    fill(element, h('datalist', { id: 'journey-events' }, offered.map((e) => h('option', { value: e }))), settings(d, segments, render),
      h('h3', {}, 'Steps'), h('ol', { class: 'step-cards' }, d.steps.map((s, i) => h('li', {}, stepCard(d, i, { templates, segments, events }, render,
        problems.filter((p) => p.startsWith(`steps[${i}]`))),
        h('button', { type: 'button', onclick: () => { d.steps.splice(i + 1, 0, { id: freshId(d), wait: 'P1D' }); render(); } }, '+ Step here')))),
      h('button', { type: 'button', onclick: () => { d.steps.push({ id: freshId(d), wait: 'P1D' }); render(); } }, '+ Step at the end'),
      problems.some((p) => !p.startsWith('steps[')) ? h('ul', { class: 'problems', role: 'alert' }, problems.filter((p) => !p.startsWith('steps[')).map((p) => h('li', {}, p))) : null);
    if (focused >= 0) controls()[Math.min(focused, controls().length - 1)]?.focus();
  };
  render();
  return {
    element,
    value: () => d,
    showProblems(error) {
      problems = (error?.body?.problems ?? []).map(String);
      render();
      return problemList(error);
    },
  };
}

function freshId(d) {
  for (let n = d.steps.length + 1; ; n++) if (!d.steps.some((s) => s.id === `step-${n}`)) return `step-${n}`;
}

/** The journey's own settings: name, on, trigger, key, re-entry, holdout, goals, data. */
function settings(d, segments, render) {
  const tr = d.trigger ?? { event: 'Checkout Started' };
  d.trigger = tr;
  const triggerKind = tr.event ? 'event' : tr.subscription ? 'subscription' : tr.segment ? 'segment' : 'api';
  const set = (patch) => Object.assign(d, patch);
  const segmentWay = tr.segment?.exited ? 'exited' : 'entered';
  return h('fieldset', { class: 'group' }, h('legend', {}, 'Journey'),
    h('div', { class: 'bar' },
      field('Name', h('input', { value: d.name ?? '', required: true, onchange: (e) => set({ name: e.target.value }) })),
      field('On', h('input', { type: 'checkbox', checked: d.enabled !== false, onchange: (e) => set({ enabled: e.target.checked }) }), 'inline')),
    h('div', { class: 'bar' },
      field('Starts', select('Starts', [['event', 'on an event'], ['subscription', 'when someone subscribes'], ['segment', 'on a segment'], ['api', 'by the shop’s call']], triggerKind, (e) => {
        d.trigger = { event: { event: 'Checkout Started' }, subscription: { subscription: true }, segment: { segment: { entered: segments[0]?.id ?? '' } }, api: { api: true } }[e.target.value];
        render();
      })),
      triggerKind === 'event' ? field('Event', h('input', { list: 'journey-events', value: [].concat(tr.event).join(', '), onchange: (e) => {
        const names = e.target.value.split(',').map((x) => x.trim()).filter(Boolean);
        tr.event = names.length === 1 ? names[0] : names;
      } })) : null,
      triggerKind === 'segment' ? [select('Entering or leaving', [['entered', 'entering'], ['exited', 'leaving']], segmentWay, (e) => {
        tr.segment = { [e.target.value]: tr.segment[segmentWay] };
      }), select('Segment', segments.map((s) => [s.id, s.name ?? s.id]), tr.segment[segmentWay], (e) => { tr.segment = { [segmentWay]: e.target.value }; })] : null),
    h('div', { class: 'bar' },
      field('One entry per', h('input', { value: d.key ?? 'contact', list: 'journey-keys', onchange: (e) => set({ key: e.target.value || undefined }) })),
      h('datalist', { id: 'journey-keys' }, h('option', { value: 'contact' }), h('option', { value: 'property:checkout_token|checkout_id|cart_id' })),
      field('At most once every (days, 0: no limit)', h('input', { type: 'number', min: 0, value: d.reentryDays ?? 0, onchange: (e) => set({ reentryDays: Number(e.target.value) || undefined }) })),
      field('Held out (%)', h('input', { type: 'number', min: 0, max: 50, value: d.holdoutPercent ?? 0, onchange: (e) => set({ holdoutPercent: Number(e.target.value) || undefined }) }))),
    h('div', { class: 'bar' },
      field('Goals: any of these events ends it (comma-separated)', h('input', { list: 'journey-events', value: (d.goals ?? []).map((g) => (typeof g === 'string' ? g : g.event)).join(', '),
        onchange: (e) => {
          const names = e.target.value.split(',').map((x) => x.trim()).filter(Boolean);
          const before = new Map((d.goals ?? []).map((g) => (typeof g === 'string' ? [g, g] : [g.event, g])));
          d.goals = names.length ? names.map((n) => before.get(n) ?? n) : undefined;
        } }))),
    pairs('Data the templates read', d.data ?? {}, (next) => { d.data = Object.keys(next).length ? next : undefined; }, render),
    variantRows(d, render));
}

/** An A/B/n split at entry: each variant's name and weight; a send step can then give a variant another template. */
function variantRows(d, render) {
  const list = d.variants ?? [];
  return h('div', { role: 'group', 'aria-label': 'A/B test at entry' }, h('span', { class: 'muted' }, 'A/B test at entry: '),
    list.length ? null : h('span', { class: 'muted' }, 'none '),
    list.map((v, i) => h('span', { class: 'filter' },
      h('input', { 'aria-label': `Variant ${i + 1} name`, value: v.name, size: 6, onchange: (e) => { v.name = e.target.value; render(); } }),
      h('input', { 'aria-label': `Variant ${i + 1} weight (%)`, type: 'number', min: 0, max: 100, value: v.weight, style: 'width:5em', onchange: (e) => { v.weight = Number(e.target.value); } }),
      h('button', { type: 'button', 'aria-label': `Remove variant ${i + 1}`, onclick: () => { list.splice(i, 1); d.variants = list.length > 1 ? list : undefined; render(); } }, '×'))),
    h('button', { type: 'button', onclick: () => {
      d.variants = list.length ? [...list, { name: String.fromCharCode(97 + list.length), weight: 0 }] : [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }];
      render();
    } }, list.length ? '+ Variant' : 'Add an A/B test'));
}

/** Name = value rows (data, traits); numbers and true/false are kept as such. */
function pairs(label, values, write, render) {
  const rows = Object.entries(values);
  const commit = (list) => write(Object.fromEntries(list.filter(([k]) => k)));
  return h('div', { role: 'group', 'aria-label': label }, h('span', { class: 'muted' }, label, ': '),
    rows.map(([k, v], i) => h('span', { class: 'filter' },
      h('input', { 'aria-label': `${label}: name ${i + 1}`, value: k, size: 14, onchange: (e) => { rows[i] = [e.target.value, v]; commit(rows); } }), '=',
      h('input', { 'aria-label': `${label}: value ${i + 1}`, value: String(v), size: 14, onchange: (e) => { rows[i] = [rows[i][0], typed(e.target.value)]; commit(rows); } }),
      h('button', { type: 'button', 'aria-label': `${label}: remove ${i + 1}`, onclick: () => { rows.splice(i, 1); commit(rows); render(); } }, '×'))),
    h('button', { type: 'button', onclick: () => { rows.push([`name${rows.length + 1}`, '']); commit(rows); render(); } }, '+'));
}


/** Where a jump may go from step {i}: a later step, the end, or out with a reason. */
function targets(d, i) {
  return [['', '— next step —'], ...d.steps.slice(i + 1).map((s) => [s.id, `step ${s.id}`]), ['end', 'the end'], ['exit:exited', 'leave the journey']];
}

function jump(label, d, i, value, write) {
  const options = targets(d, i);
  if (value && !options.some(([v]) => v === value)) options.push([value, value]);
  return field(label, select(label, options, value ?? '', (e) => write(e.target.value || undefined)));
}

/** One step: its id and kind, the form its kind takes, moves and removal, and the problems the API named at it. */
function stepCard(d, i, ctx, render, problems) {
  const s = d.steps[i];
  const kind = kindOf(s);
  const n = i + 1;
  const card = h('section', { class: 'card step-card', 'aria-label': `Step ${n}` },
    h('div', { class: 'bar' },
      field(`Step ${n} id`, h('input', { value: s.id, size: 14, pattern: '[a-z0-9\\-_]{1,64}', onchange: (e) => { s.id = e.target.value; render(); } })),
      field(`Step ${n} does`, select(`Step ${n} does`, KINDS, kind, (e) => {
        const next = { send: ctx.templates[0]?.id ?? '', wait: 'P1D', if: { consent: 'granted' }, split: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }],
          update: { traits: {} }, publish: { type: 'crm.task' }, exit: 'exited' }[e.target.value];
        d.steps[i] = { id: s.id, [e.target.value]: next };
        render();
      })),
      h('button', { type: 'button', disabled: i === 0, 'aria-label': `Move step ${n} up`, onclick: () => { [d.steps[i - 1], d.steps[i]] = [d.steps[i], d.steps[i - 1]]; render(); } }, '↑'),
      h('button', { type: 'button', disabled: i === d.steps.length - 1, 'aria-label': `Move step ${n} down`, onclick: () => { [d.steps[i + 1], d.steps[i]] = [d.steps[i], d.steps[i + 1]]; render(); } }, '↓'),
      h('button', { type: 'button', 'aria-label': `Remove step ${n}`, onclick: () => { d.steps.splice(i, 1); render(); } }, 'Remove')),
    stepForm(kind, s, d, i, ctx, render, n),
    problems.length ? h('ul', { class: 'problems', role: 'alert' }, problems.map((p) => h('li', {}, p))) : null);
  return card;
}

function stepForm(kind, s, d, i, ctx, render, n) {
  const v = s[kind];
  switch (kind) {
    case 'send': {
      const now = { template: typeof v === 'string' ? v : v.template, transactional: typeof v === 'object' && v.kind === 'transactional',
        variants: { ...(typeof v === 'object' ? v.variants ?? {} : {}) } };
      // a plain template id while nothing else is said, as a journey is written by hand
      const write = () => {
        const other = Object.fromEntries(Object.entries(now.variants).filter(([, t]) => t));
        s.send = !now.transactional && !Object.keys(other).length ? now.template
          : { template: now.template, ...(now.transactional ? { kind: 'transactional' } : {}), ...(Object.keys(other).length ? { variants: other } : {}) };
      };
      const options = (chosen) => [...ctx.templates.map((t) => [t.id, t.name ?? t.id]), ...(!chosen || ctx.templates.some((t) => t.id === chosen) ? [] : [[chosen, chosen]])];
      return h('div', { class: 'bar' },
        field(`Step ${n}: template`, select(`Step ${n}: template`, options(now.template), now.template, (e) => { now.template = e.target.value; write(); })),
        (d.variants ?? []).slice(1).map((variant) => field(`Step ${n}: template for variant ${variant.name}`,
          select(`Step ${n}: template for variant ${variant.name}`, [['', '— the same —'], ...options(now.variants[variant.name])], now.variants[variant.name] ?? '',
            (e) => { now.variants[variant.name] = e.target.value; write(); }))),
        field(`Step ${n}: transactional`, h('input', { type: 'checkbox', checked: now.transactional, onchange: (e) => { now.transactional = e.target.checked; write(); } }), 'inline'));
    }
    case 'wait': {
      const mode = typeof v === 'string' ? 'for' : v.until !== undefined ? 'until' : 'event';
      const time = typeof v === 'string' ? amount(v) : amount(v.within);
      const modeSelect = select(`Step ${n}: wait`, [['for', 'for a while'], ['until', 'until a time of day'], ['event', 'for an event']], mode, (e) => {
        s.wait = { for: 'P1D', until: { until: '09:00' }, event: { for: 'Order Completed', within: 'P1D' } }[e.target.value];
        if (e.target.value !== 'event') delete s.timeout;
        render();
      });
      const amountControls = (label, current, write) => {
        const num = h('input', { type: 'number', min: 1, 'aria-label': `${label} (number)`, value: current?.n ?? 1, style: 'width:5em', onchange: () => write(iso(num.value, unit.value)) });
        const unit = select(`${label} (unit)`, [['minutes', 'minutes'], ['hours', 'hours'], ['days', 'days']], current?.unit ?? 'days', () => write(iso(num.value, unit.value)));
        return [num, unit];
      };
      if (mode === 'for') return h('div', { class: 'bar' }, modeSelect, ...amountControls(`Step ${n}: wait for`, time, (x) => { s.wait = x; }));
      if (mode === 'until') {
        return h('div', { class: 'bar' }, modeSelect, field(`Step ${n}: time of day`, h('input', { type: 'time', value: v.until, onchange: (e) => { s.wait = { until: e.target.value }; } })),
          h('span', { class: 'muted' }, 'in the contact’s time zone'));
      }
      return h('div', { class: 'bar' }, modeSelect,
        field(`Step ${n}: event`, h('input', { list: 'journey-events', value: v.for, onchange: (e) => { v.for = e.target.value; } })),
        h('span', {}, 'at most'), ...amountControls(`Step ${n}: at most`, time, (x) => { v.within = x; }),
        jump(`Step ${n}: if it does not come, go to`, d, i, s.timeout, (t) => { if (t) s.timeout = t; else delete s.timeout; }));
    }
    case 'if': {
      const builder = conditionBuilder(v, { segments: ctx.segments, events: ctx.events, journey: true, onChange: (c) => { s.if = c; } });
      return h('div', {}, builder ? builder.element : h('p', { class: 'note' }, 'This branch’s condition is open in the code.'),
        h('div', { class: 'bar' }, jump(`Step ${n}: if yes, go to`, d, i, s.then, (t) => { if (t) s.then = t; else delete s.then; }),
          jump(`Step ${n}: if no, go to`, d, i, s.else, (t) => { if (t) s.else = t; else delete s.else; })));
    }
    case 'split': return h('div', {}, v.map((arm, a) => h('div', { class: 'bar' },
      field(`Step ${n}: arm ${a + 1} name`, h('input', { value: arm.name, size: 8, onchange: (e) => { arm.name = e.target.value; } })),
      field(`Step ${n}: arm ${a + 1} weight (%)`, h('input', { type: 'number', min: 0, max: 100, value: arm.weight, style: 'width:5em', onchange: (e) => { arm.weight = Number(e.target.value); } })),
      jump(`Step ${n}: arm ${a + 1} goes to`, d, i, arm.then, (t) => { if (t) arm.then = t; else delete arm.then; }),
      h('button', { type: 'button', 'aria-label': `Step ${n}: remove arm ${a + 1}`, disabled: v.length <= 2, onclick: () => { v.splice(a, 1); render(); } }, '×'))),
      h('button', { type: 'button', onclick: () => { v.push({ name: String.fromCharCode(97 + v.length), weight: 0 }); render(); } }, '+ Arm'));
    case 'update': return pairs(`Step ${n}: set these fields`, v.traits ?? {}, (next) => { v.traits = next; }, render);
    case 'publish': return h('div', { class: 'bar' },
      field(`Step ${n}: detail-type`, h('input', { value: v.type ?? '', onchange: (e) => { v.type = e.target.value; } })),
      field(`Step ${n}: with the event (optional)`, h('input', { list: 'journey-events', value: v.withEvent ?? '', onchange: (e) => { if (e.target.value) v.withEvent = e.target.value; else delete v.withEvent; } })));
    case 'exit': return field(`Step ${n}: reason`, h('input', { value: v === true ? 'exited' : v, onchange: (e) => { s.exit = e.target.value || true; } }));
    default: return null;
  }
}

