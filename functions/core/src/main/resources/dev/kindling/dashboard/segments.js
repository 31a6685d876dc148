// Segments: the list with member counts and each condition in words, an editor that builds the condition by
// controls (the JSON behind a "Code" toggle for developers) with a live count and sample members as it changes
// (POST /admin/segments/preview), and each segment's members.
import { h, fill, fmt, table, field, debounce, alertBox, problemList } from './dom.js';
import * as api from './api.js';
import { condition as inWords } from './describe.js';
import { conditionBuilder } from './builder.js';

const EXAMPLE = { all: [{ metric: 'orders', op: 'gte', value: 1 }, { event: 'Product Viewed', within: { days: 14 } }] };

export default async function segments(target, [id], ctx) {
  if (id === 'new') return editor(target, null, ctx);
  if (id) return editor(target, id, ctx);
  const [list, report] = await Promise.all([api.get('/admin/segments'), api.get(api.path('/admin/reports/segments', { from: ctx.dates.from, to: ctx.dates.to }))]);
  const counts = new Map(report.rows.map((r) => [r.segment, r]));
  const names = Object.fromEntries(list.segments.map((s) => [s.id, s.name ?? s.id]));
  fill(target,
    h('div', { class: 'bar' }, h('h1', {}, 'Segments'), ctx.canChange ? h('a', { href: '#/segments/new', class: 'badge', role: 'button' }, '+ New segment') : null),
    table([
      { label: 'Segment', cell: (s) => h('a', { href: `#/segments/${api.seg(s.id)}` }, s.name ?? s.id) },
      { label: 'Who', cell: (s) => inWords(s.condition, names) },
      { label: 'Members', num: true, cell: (s) => fmt.int(counts.get(s.id)?.members ?? 0) },
      { label: `Entered (${ctx.dates.days} d)`, num: true, cell: (s) => fmt.int(counts.get(s.id)?.entered ?? 0) },
      { label: `Revenue (${ctx.dates.days} d)`, num: true, cell: (s) => fmt.money(counts.get(s.id)?.revenue ?? 0) },
    ], list.segments, { caption: 'Segments', empty: 'No segment yet.' }),
    h('p', { class: 'muted' }, 'Member counts are kept as people enter and leave; time-based segments settle at the hourly refresh.'));
}

async function editor(target, id, { canChange }) {
  const [existing, all, sent] = await Promise.all([id ? api.get(`/admin/segments/${api.seg(id)}`) : null, api.get('/admin/segments'),
    api.get('/admin/events')]);
  const propertiesOf = async (event) => (event ? (await api.get(api.path('/admin/events', { event }))).properties : []);
  const definition = existing?.segment ?? { name: '', condition: EXAMPLE };
  const others = all.segments.filter((s) => s.id !== id);
  const idInput = h('input', { name: 'id', value: id ?? '', required: true, pattern: '[a-z0-9\\-]{1,64}', readonly: Boolean(id), 'aria-describedby': 'id-help' });
  const nameInput = h('input', { name: 'name', value: definition.name ?? '', required: true });
  const condition = h('textarea', { name: 'condition', spellcheck: 'false', 'aria-describedby': 'condition-help', readonly: !canChange },
    JSON.stringify(definition.condition, null, 2));
  // the builder by default; the code when asked for, or when the builder cannot show the condition exactly
  const visual = h('div', { 'data-testid': 'segment-builder' });
  const code = h('div', { hidden: true }, h('label', { style: 'display:flex' }, 'Condition (JSON)', condition),
    h('p', { id: 'condition-help', class: 'muted' }, 'Conditions: {"trait": …, "op": …}, {"metric": …}, {"event": …, "within": …}, {"stage": …}, {"inSegment": …}, combined with "all", "any" and "not". docs/segments.md has the whole language.'));
  const codeNote = h('div', { 'aria-live': 'polite' });
  const showBuilder = (c) => {
    const builder = conditionBuilder(c, { segments: others, events: sent.events, traits: sent.traits, propertiesOf, onChange: (next) => { condition.value = JSON.stringify(next, null, 2); refresh(); } });
    if (!builder) {
      fill(codeNote, h('p', { class: 'note' }, 'This condition uses parts the builder cannot show; it is open as code.'));
      return false;
    }
    fill(codeNote);
    fill(visual, builder.element);
    return true;
  };
  const toggle = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => {
    const toCode = code.hidden;
    if (!toCode && canChange) {
      const parsed = parse();
      if (parsed.error) return fill(codeNote, alertBox(parsed.error));
      if (!showBuilder(parsed.condition)) return;
    }
    code.hidden = !toCode;
    visual.hidden = toCode;
    toggle.setAttribute('aria-pressed', String(toCode));
    toggle.textContent = toCode ? (canChange ? 'Builder' : 'In words') : 'Code';
  } }, 'Code');
  const preview = h('div', { 'aria-live': 'polite', id: 'preview' });
  const status = h('div', { 'aria-live': 'polite' });
  const members = h('div');

  const parse = () => {
    try { return { condition: JSON.parse(condition.value) }; } catch (e) { return { error: `The condition is not valid JSON: ${e.message}` }; }
  };
  let asked = 0;
  const refresh = debounce(async () => {
    const parsed = parse();
    if (parsed.error) return fill(preview, alertBox(parsed.error));
    const mine = ++asked;
    fill(preview, h('p', { class: 'muted' }, 'Counting…'));
    try {
      const r = await api.post('/admin/segments/preview', { name: nameInput.value || 'preview', condition: parsed.condition });
      if (mine !== asked) return;
      // a large shop is read for a few seconds, then estimated from the part read
      const counted = r.complete
        ? h('p', {}, h('strong', { 'data-testid': 'preview-count' }, fmt.int(r.count)), ` of ${fmt.int(r.contacts)} contacts match now.`)
        : h('p', {}, 'About ', h('strong', { 'data-testid': 'preview-count' }, fmt.int(r.about)), ` match now (${fmt.int(r.count)} of the first ${fmt.int(r.contacts)} contacts read).`);
      fill(preview, counted,
        table([{ label: 'Sample member', cell: (m) => h('a', { href: `#/contacts/${api.seg(m.contactId)}` }, m.email ?? m.contactId) }], r.sample, { empty: 'No one matches.' }));
    } catch (error) {
      if (mine === asked) fill(preview, problemList(error));
    }
  });
  condition.addEventListener('input', refresh);

  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    const parsed = parse();
    if (parsed.error) return fill(status, alertBox(parsed.error));
    try {
      await api.put(`/admin/segments/${api.seg(idInput.value)}`, { name: nameInput.value, condition: parsed.condition });
      fill(status, h('p', { role: 'status', class: 'note' }, 'Saved. Existing contacts are being added; the count fills in as they are.'));
      if (!id) history.replaceState(null, '', `#/segments/${api.seg(idInput.value)}`);
      loadMembers(idInput.value, members);
    } catch (error) {
      fill(status, problemList(error));
    }
  } },
    h('div', { class: 'bar' }, field('Id', idInput), field('Name', nameInput)),
    h('p', { id: 'id-help', class: 'muted' }, 'Lower-case letters, digits and dashes; journeys and campaigns name the segment by it.'),
    h('div', { class: 'bar' }, h('h2', {}, 'Who is in it'), toggle), codeNote, visual, code,
    canChange ? h('button', { class: 'primary', type: 'submit' }, id ? 'Save' : 'Create segment') : null,
    status);
  fill(target, h('p', {}, h('a', { href: '#/segments' }, '← Segments')), h('h1', {}, id ? definition.name ?? id : 'New segment'),
    h('div', { class: 'split' }, form, h('section', { class: 'card' }, h('h2', {}, 'Live preview'), preview)),
    id ? h('h2', {}, 'Members') : null, members);
  if (!canChange) {
    // a read token sees the condition in words, and the code on asking; no control that edits
    fill(visual, h('p', { 'data-testid': 'segment-words' }, inWords(definition.condition, Object.fromEntries(others.map((s) => [s.id, s.name ?? s.id])))));
  } else if (!showBuilder(definition.condition)) {
    code.hidden = false;
    visual.hidden = true;
    toggle.textContent = 'Builder';
    toggle.setAttribute('aria-pressed', 'true');
  }
  refresh();
  if (id) loadMembers(id, members);
}

async function loadMembers(id, into) {
  try {
    const page = await api.get(api.path(`/admin/segments/${api.seg(id)}/members`, { limit: 50 }));
    fill(into, h('p', { class: 'muted', 'data-testid': 'member-page' }, `${page.members.length}${page.next ? '+' : ''} members shown`),
      table([{ label: 'Contact', cell: (m) => h('a', { href: `#/contacts/${api.seg(m.contactId)}` }, m.contactId) }, { label: 'Since', cell: (m) => fmt.when(m.since) }],
        page.members, { empty: 'No members yet.' }));
  } catch (error) {
    fill(into, alertBox(error.message));
  }
}
