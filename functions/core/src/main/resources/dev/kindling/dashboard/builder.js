// The condition builder: a segment-language condition as rows of kind → field → operator → value, in nested
// "all" / "any" groups, each row or group negatable. It reads and writes the same document the admin API takes; a
// condition it cannot show exactly (read back, it would differ) is left to the code view. Every control is labelled.
import { h, fill, select } from './dom.js';
import { TRAITS, METRICS, STAGES, condition as describe } from './describe.js';

/** Events most shops send (the Segment e-commerce spec and Kindling's own), offered until the shop's own are known. */
export const COMMON_EVENTS = ['Page Viewed', 'Product Viewed', 'Product Added', 'Cart Updated', 'Checkout Started', 'Order Completed',
  'Order Cancelled', 'Order Refunded', 'Signed Up', 'Form Submitted', 'Email Opened', 'Email Link Clicked', 'SMS Link Clicked', 'SMS Received', 'Email Subscribed', 'Unsubscribed'];

const KINDS = [
  ['event', 'Did an event'], ['lastPerformed', 'Last did an event'], ['metric', 'Orders and value'], ['trait', 'Profile field'],
  ['score', 'Score'], ['stage', 'Lifecycle stage'], ['inSegment', 'In another segment'], ['anniversary', 'Yearly date (birthday)'],
  ['date', 'Date field'], ['bucket', 'Random share (holdout, split)'], ['group', 'Group of conditions'],
];
/** A journey's branch may also ask what the person did since entering, or their email consent (the whole condition). */
const JOURNEY_KINDS = [['did', 'Did since entering'], ['consent', 'Email consent']];
const COMPARE = [['equals', 'is'], ['not_equals', 'is not'], ['gt', '>'], ['gte', '≥'], ['lt', '<'], ['lte', '≤']];
const TRAIT_OPS = [...COMPARE, ['contains', 'contains'], ['exists', 'is set'], ['not_exists', 'is not set'], ['in', 'is one of'],
  ['date_before', 'is before'], ['date_after', 'is after']];
const PROPERTY_OPS = [...COMPARE, ['contains', 'contains'], ['exists', 'is set'], ['in', 'is one of']];

const input = (label, value, props = {}) => h('input', { 'aria-label': label, value: value ?? '', ...props });
const numberOr = (text) => (text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text);
const listOr = (op, text) => (op === 'in' ? text.split(',').map((x) => numberOr(x.trim())).filter((x) => x !== '') : numberOr(text));
const valueText = (v) => (Array.isArray(v) ? v.join(', ') : v ?? '');
const windowOf = (w) => (w?.hours !== undefined ? { n: w.hours, unit: 'hours' } : w?.days !== undefined ? { n: w.days, unit: 'days' } : null);

/** A fresh row of a kind, with values that make sense before the marketer types. */
function blank(kind, events) {
  switch (kind) {
    case 'event': return { event: events[0] ?? 'Order Completed', within: { days: 30 } };
    case 'lastPerformed': return { lastPerformed: 'Order Completed', olderThan: { days: 60 } };
    case 'metric': return { metric: 'orders', op: 'gte', value: 1 };
    case 'trait': return { trait: 'country', op: 'equals', value: '' };
    case 'score': return { score: 'engagement', op: 'gte', value: 10 };
    case 'stage': return { stage: ['purchase'] };
    case 'inSegment': return { inSegment: '' };
    case 'anniversary': return { anniversary: 'birthday', inDays: 0 };
    case 'date': return { date: '', inDays: 0 };
    case 'bucket': return { bucket: { salt: 'holdout', from: 0, to: 10 } };
    case 'did': return { did: 'Email Opened' };
    case 'consent': return { consent: 'granted' };
    default: return { all: [] };
  }
}

const kindOf = (c) => (c.all || c.any ? 'group' : [...KINDS, ...JOURNEY_KINDS].map(([k]) => k).find((k) => c[k] !== undefined));

/**
 * The builder for {condition}; {segments}: [{id, name}] for "in another segment"; {events} and {traits}: the names the
 * shop has sent (GET /admin/events), offered first; {propertiesOf}: an event's property names, asked when a property is
 * being chosen; {onChange}: called with the condition after each change. Returns {element, value()} or null when the
 * builder cannot show this condition exactly.
 */
export function conditionBuilder(condition, { segments = [], events = [], traits = [], propertiesOf = async () => [], journey = false, onChange = () => {} } = {}) {
  const root = condition && (condition.all || condition.any) ? condition : { all: condition ? [condition] : [] };
  if (!representable(root)) return null;
  let state = structuredClone(root);
  const offered = [...new Set([...events, ...COMMON_EVENTS])];
  const fields = [...new Set([...Object.keys(TRAITS), ...traits])];
  const eventList = h('div', { hidden: true },
    h('datalist', { id: 'builder-events' }, offered.map((e) => h('option', { value: e }))),
    h('datalist', { id: 'builder-traits' }, fields.map((t) => h('option', { value: t }, TRAITS[t] ?? t))),
    h('datalist', { id: 'builder-properties' }));
  const element = h('div', { class: 'builder' }, eventList);
  const names = Object.fromEntries(segments.map((s) => [s.id, s.name ?? s.id]));
  const words = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'builder-words' });
  // a typed value only updates the words; a change of shape (a kind, an operator, a row added or removed) draws the
  // rows again, and the focus goes back to the control at the same place, so the keyboard does not lose its way
  const changed = (shape = true) => {
    if (shape) render();
    fill(words, describe(value(), names));
    onChange(value());
  };
  const render = () => {
    const controls = () => [...element.querySelectorAll('input, select, button')];
    const focused = controls().indexOf(document.activeElement);
    fill(element, eventList, groupView(state, null, changed, { segments, propertiesOf, kinds: journey ? [...KINDS, ...JOURNEY_KINDS] : KINDS }), words);
    if (focused >= 0) controls()[Math.min(focused, controls().length - 1)]?.focus();
  };
  // the root is a group for editing; a single condition under "all" is written back as itself, as it was typed
  const value = () => (state.all?.length === 1 ? state.all[0] : state);
  render();
  fill(words, describe(value(), names));
  return { element, value };
}

/** Whether the builder shows {c} exactly: what it would write back equals it. */
function representable(c) {
  try {
    return JSON.stringify(normal(c)) === JSON.stringify(c);
  } catch {
    return false;
  }
}

/** {c} as the builder would write it after reading it; throws on a shape it has no control for. */
function normal(c) {
  if (c.not) return { not: normal(c.not) };
  const kind = kindOf(c);
  if (!kind) throw new Error('unknown');
  if (kind === 'group') return c.all ? { all: c.all.map(normal) } : { any: c.any.map(normal) };
  const known = {
    event: ['event', 'performed', 'where', 'count', 'within', 'afterLast'], lastPerformed: ['lastPerformed', 'within', 'olderThan'],
    metric: ['metric', 'op', 'value'], trait: ['trait', 'op', 'value'], score: ['score', 'op', 'value'], stage: ['stage'], inSegment: ['inSegment'],
    anniversary: ['anniversary', 'inDays'], date: ['date', 'inDays'], bucket: ['bucket'], did: ['did', 'where'], consent: ['consent'],
  }[kind];
  if (Object.keys(c).some((k) => !known.includes(k))) throw new Error('unknown field');
  if (c.count && (c.count.max !== undefined || Object.keys(c.count).some((k) => k !== 'min'))) throw new Error('count max');
  for (const w of [c.within, c.olderThan]) if (w && !windowOf(w)) throw new Error('window');
  if (kind === 'stage' && !Array.isArray(c.stage)) throw new Error('stage as text');
  return c;
}

/** A group: all/any, negatable, its rows, and buttons to add a row or a nested group. {parent}: the array holding it. */
function groupView(node, remove, changed, ctx) {
  const negated = node.not !== undefined;
  const g = negated ? node.not : node;
  const mode = g.all ? 'all' : 'any';
  const items = g[mode];
  const mine = h('fieldset', { class: 'group' },
    h('legend', {}, select('Match', [['all', 'All of these'], ['any', 'Any of these']], mode, (e) => {
      const next = e.target.value;
      if (next !== mode) { g[next] = g[mode]; delete g[mode]; changed(); }
    }), remove ? notToggle(node, changed) : null, remove ? h('button', { type: 'button', onclick: remove }, 'Remove group') : null),
    items.map((child, i) => {
      const drop = () => { items.splice(i, 1); changed(); };
      const inner = child.not ?? child;
      return inner.all || inner.any ? groupView(child, drop, changed, ctx) : rowView(items, i, drop, changed, ctx);
    }),
    h('div', { class: 'bar' },
      h('button', { type: 'button', onclick: () => { items.push(blank('event', COMMON_EVENTS)); changed(); } }, '+ Condition'),
      h('button', { type: 'button', onclick: () => { items.push({ any: [blank('event', COMMON_EVENTS)] }); changed(); } }, '+ Group')));
  return mine;
}

/** "Not": wraps the node in {not} or unwraps it, in place. */
function notToggle(node, changed) {
  return h('label', { class: 'inline' }, h('input', { type: 'checkbox', checked: node.not !== undefined, onchange: (e) => {
    if (e.target.checked) { const inner = { ...node }; Object.keys(node).forEach((k) => delete node[k]); node.not = inner; }
    else { const inner = node.not; delete node.not; Object.assign(node, inner); }
    changed();
  } }), 'Not');
}

/** One condition row: its kind, then the controls that kind takes. Edits write into items[i]. */
function rowView(items, i, remove, changed, ctx) {
  const node = items[i];
  const c = node.not ?? node;
  const set = (patch, shape = true) => { Object.assign(c, patch); changed(shape); };
  const unset = (...keys) => keys.forEach((k) => delete c[k]);
  const kind = kindOf(c);
  const kindSelect = select('Kind of condition', ctx.kinds.filter(([k]) => k !== 'group'), kind, (e) => {
    items[i] = blank(e.target.value, COMMON_EVENTS);
    changed();
  });
  return h('div', { class: 'row', role: 'group', 'aria-label': `Condition ${i + 1}` }, kindSelect, ...controls(kind, c, set, unset, changed, ctx),
    notToggle(node, changed), h('button', { type: 'button', 'aria-label': `Remove condition ${i + 1}`, onclick: remove }, '×'));
}

function controls(kind, c, set, unset, changed, { segments, propertiesOf }) {
  // the property names of the row's event, offered as the property is chosen
  const offerProperties = async () => {
    const names = await propertiesOf(c.event ?? c.did).catch(() => []);
    fill(document.getElementById('builder-properties'), names.map((p) => h('option', { value: p })));
  };
  // "with <property> <op> <value>" filters on the event, and a button to add one
  const propertyFilters = () => [...(c.where ?? []).map((f, k) => h('span', { class: 'filter' }, 'with ',
    input('Property', f.property, { list: 'builder-properties', onfocus: offerProperties, onchange: (e) => { f.property = e.target.value; changed(false); } }),
    select('Property operator', PROPERTY_OPS, f.op, (e) => { f.op = e.target.value; if (f.op === 'exists') delete f.value; changed(); }),
    f.op === 'exists' ? null : input('Property value', valueText(f.value), { onchange: (e) => { f.value = listOr(f.op, e.target.value); changed(false); } }),
    h('button', { type: 'button', 'aria-label': 'Remove property filter', onclick: () => { c.where.splice(k, 1); if (!c.where.length) delete c.where; changed(); } }, '×'))),
  h('button', { type: 'button', onclick: () => { c.where = [...(c.where ?? []), { property: 'total', op: 'gte', value: 0 }]; changed(); } }, '+ property')];
  const eventName = (label, key) => input(label, c[key], { list: 'builder-events', onchange: (e) => set({ [key]: e.target.value }, false) });
  const compare = (ops, parse = numberOr) => [
    select('Operator', ops, c.op, (e) => { const op = e.target.value; if (op === 'exists' || op === 'not_exists') unset('value'); set({ op }); }),
    c.op === 'exists' || c.op === 'not_exists' ? null : input('Value', valueText(c.value), { type: c.op?.startsWith('date_') ? 'date' : 'text', onchange: (e) => set({ value: c.op === 'in' ? listOr('in', e.target.value) : parse(e.target.value) }, false) }),
  ];
  const windowControls = (key, label) => {
    const w = windowOf(c[key]) ?? { n: '', unit: 'days' };
    const write = (n, unit) => { if (n === '' || n === null) { unset(key); changed(false); } else set({ [key]: { [unit]: Number(n) } }, false); };
    const n = input(`${label} (number)`, w.n, { type: 'number', min: 1, style: 'width:5em', onchange: (e) => write(e.target.value, unit.value) });
    const unit = select(`${label} (unit)`, [['hours', 'hours'], ['days', 'days']], w.unit, (e) => write(n.value, e.target.value));
    return [n, unit];
  };
  switch (kind) {
    case 'did': return [eventName('Event', 'did'), ...propertyFilters(), h('span', {}, 'since entering the journey')];
    case 'consent': return [select('Consent', [['granted', 'is granted'], ['pending', 'is pending (not confirmed yet)'], ['withdrawn', 'is withdrawn'],
      ['not_given', 'was never given']], c.consent, (e) => set({ consent: e.target.value }, false))];
    case 'event': {
      const did = select('Did or did not', [['yes', 'did'], ['no', 'did not do']], c.performed === false ? 'no' : 'yes', (e) => {
        if (e.target.value === 'no') { unset('count'); set({ performed: false }); } else { unset('performed'); changed(); }
      });
      return [did, eventName('Event', 'event'), ...propertyFilters(),
        c.performed === false ? null : h('span', {}, 'at least ', input('At least this many times', c.count?.min ?? 1, { type: 'number', min: 1, style: 'width:4em',
          onchange: (e) => { if (Number(e.target.value) > 1) set({ count: { min: Number(e.target.value) } }, false); else { unset('count'); changed(false); } } }), ' times'),
        h('span', {}, 'in the last '), ...windowControls('within', 'In the last'),
        h('span', {}, 'since the last '), input('Since the last event (optional)', c.afterLast, { list: 'builder-events', placeholder: 'any time',
          onchange: (e) => { if (e.target.value) set({ afterLast: e.target.value }, false); else { unset('afterLast'); changed(false); } } })];
    }
    case 'lastPerformed': {
      const which = c.olderThan ? 'olderThan' : 'within';
      return [eventName('Event', 'lastPerformed'),
        select('Within or more than', [['within', 'within the last'], ['olderThan', 'more than (or never)']], which, (e) => {
          const w = c[which]; unset(which); set({ [e.target.value]: w });
        }), ...windowControls(which, which === 'olderThan' ? 'More than' : 'Within the last'), which === 'olderThan' ? h('span', {}, ' ago') : null];
    }
    case 'metric': return [select('Metric', Object.entries(METRICS).map(([k, m]) => [k, m.label]), c.metric, (e) => set({ metric: e.target.value })), ...compare(COMPARE)];
    case 'trait': return [input('Field', c.trait, { list: 'builder-traits', onchange: (e) => set({ trait: e.target.value }, false) }), ...compare(TRAIT_OPS, (x) => x)];
    case 'score': return [select('Score group', [['engagement', 'Engagement'], ['intent', 'Intent']].concat(['engagement', 'intent'].includes(c.score) ? [] : [[c.score, c.score]]),
      c.score, (e) => set({ score: e.target.value })), ...compare(COMPARE)];
    case 'stage': return [h('span', { role: 'group', 'aria-label': 'Stages' }, STAGES.map((s) => h('label', { class: 'inline' },
      h('input', { type: 'checkbox', checked: c.stage.includes(s), onchange: (e) => {
        set({ stage: e.target.checked ? [...c.stage, s] : c.stage.filter((x) => x !== s) });
      } }), s.replace('_', ' '))))];
    case 'inSegment': return [select('Segment', [['', '—'], ...segments.map((s) => [s.id, s.name ?? s.id])], c.inSegment, (e) => set({ inSegment: e.target.value }))];
    case 'anniversary':
    case 'date': return [input('Date field', c[kind], { list: 'builder-traits', onchange: (e) => set({ [kind]: e.target.value }, false) }),
      h('span', {}, 'in '), input('In this many days (0: today)', c.inDays ?? 0, { type: 'number', min: 0, style: 'width:5em', onchange: (e) => set({ inDays: Number(e.target.value) }, false) }), h('span', {}, ' days')];
    case 'bucket': return [input('Name of the split', c.bucket.salt, { onchange: (e) => set({ bucket: { ...c.bucket, salt: e.target.value } }, false) }),
      h('span', {}, 'from '), input('From bucket (0–99)', c.bucket.from, { type: 'number', min: 0, max: 99, style: 'width:4em', onchange: (e) => set({ bucket: { ...c.bucket, from: Number(e.target.value) } }, false) }),
      h('span', {}, ' to before '), input('To bucket (1–100)', c.bucket.to, { type: 'number', min: 1, max: 100, style: 'width:4em', onchange: (e) => set({ bucket: { ...c.bucket, to: Number(e.target.value) } }, false) })];
    default: return [];
  }
}
