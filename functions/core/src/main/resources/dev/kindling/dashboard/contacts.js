// Contacts: a list to browse (newest, most valuable, most recently active; a segment's or a stage's), a search by email,
// name or id; a profile with its timeline, scores, stages, segments, consent
// ledger, messages (each opens as it was rendered for the person) and predicted value; export and erase.
import { h, fill, fmt, table, tile, field, select, confirmStep, alertBox } from './dom.js';
import { STAGES } from './describe.js';
import * as api from './api.js';
import { stageName } from './overview.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function contacts(target, [id], ctx) {
  if (id) return profile(target, id, ctx);
  const query = sessionQuery.value;
  const input = h('input', { type: 'search', name: 'q', value: query, placeholder: 'email, name or id', 'aria-label': 'Search contacts', minlength: 2 });
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'bar', role: 'search', onsubmit: (e) => { e.preventDefault(); search(input.value, results); } },
    field('Find a contact', input), h('button', { class: 'primary', type: 'submit' }, 'Search'));
  const listed = h('div', { 'aria-live': 'polite' });
  fill(target, h('h1', {}, 'Contacts'), form, results, h('h2', {}, 'Browse'), await browser(listed), listed);
  if (query) await search(query, results);
  input.focus();
}

/** What the list shows, kept while the marketer opens a profile and comes back. */
const browsing = { sort: 'newest', segment: '', stage: '' };

/** The controls of the list (order, segment, stage), and the list's first page drawn into {into}. */
async function browser(into) {
  const segs = await api.get('/admin/segments');
  const change = (key) => (e) => { browsing[key] = e.target.value; page(into, 0); };
  const controls = h('div', { class: 'bar' },
    field('Order', select('Order', [['newest', 'newest first'], ['value', 'most valuable first'], ['active', 'most recently active first']], browsing.sort, change('sort'))),
    field('Segment', select('Segment', [['', 'everyone'], ...segs.segments.map((s) => [s.id, s.name ?? s.id])], browsing.segment, change('segment'))),
    field('Stage', select('Stage', [['', 'any stage'], ...STAGES.map((s) => [s, s.replace('_', ' ')])], browsing.stage, change('stage'))));
  await page(into, 0);
  return controls;
}

/** One page of the list from {offset}; "More" adds the next. An answer overtaken by a later change is dropped. */
let asked = 0;
async function page(into, offset) {
  const mine = ++asked;
  let r;
  try {
    r = await api.get(api.path('/admin/contacts', { sort: browsing.sort, segment: browsing.segment, stage: browsing.stage, offset, limit: 50 }));
  } catch (error) {
    return mine === asked ? fill(into, alertBox(error.message)) : null;
  }
  if (mine !== asked) return null;
  const rows = table([
    { label: 'Name', cell: (c) => h('a', { href: `#/contacts/${api.seg(c.contactId)}` }, [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || '(no name)') },
    { label: 'Email', cell: (c) => c.email ?? '–' },
    { label: 'Stage', cell: (c) => (c.stage ? stageName(c.stage) : '–') },
    { label: 'Orders', num: true, cell: (c) => fmt.int(c.orders) },
    { label: 'Spent', num: true, cell: (c) => fmt.money(c.totalSpent ?? 0, c.currency) },
    { label: 'First seen', cell: (c) => fmt.when(c.firstSeen) },
    { label: 'Last seen', cell: (c) => fmt.when(c.lastSeen) },
  ], r.contacts, { caption: 'Contacts', empty: 'No contact here.' });
  const counted = r.complete ? `${fmt.int(r.count)} contacts` : `About ${fmt.int(r.estimate)} contacts (${fmt.int(r.count)} among the first ${fmt.int(r.scanned)} read)`;
  const more = r.nextOffset ? h('button', { type: 'button', onclick: (e) => { e.target.remove(); page(into, r.nextOffset); } }, 'More') : null;
  if (offset === 0) fill(into, h('p', { 'data-testid': 'contact-count', 'data-sort': r.sort }, counted), rows, more);
  else into.append(h('p', { class: 'muted' }, `From ${fmt.int(offset + 1)}:`), rows, more);
}

/** The last search, so going back from a profile shows the same list. */
const sessionQuery = { value: '' };

async function search(text, results) {
  const q = text.trim();
  sessionQuery.value = q;
  if (q.length < 2) return fill(results, h('p', { class: 'muted' }, 'Type at least two characters.'));
  fill(results, h('p', { class: 'muted' }, 'Searching…'));
  let found;
  if (UUID.test(q)) {
    location.hash = `#/contacts/${q}`;
    return;
  }
  try {
    found = await api.get(api.path('/admin/contacts', { q }));
  } catch (error) {
    return fill(results, alertBox(error.message));
  }
  fill(results,
    h('p', { class: 'muted' }, found.complete ? `${found.contacts.length} found among ${fmt.int(found.scanned)} contacts.`
      : `${found.contacts.length} found among the first ${fmt.int(found.scanned)} contacts read; type more of the name or address to narrow it.`),
    table([
      { label: 'Name', cell: (c) => h('a', { href: `#/contacts/${api.seg(c.contactId)}` }, [c.firstName, c.lastName].filter(Boolean).join(' ') || '(no name)') },
      { label: 'Email', cell: (c) => c.email ?? '–' },
      { label: 'Last seen', cell: (c) => fmt.when(c.lastSeen) },
    ], found.contacts, { caption: 'Contacts found', empty: 'No contact matches.' }));
}

async function profile(target, id, { canChange }) {
  const [view, consent, messages] = await Promise.all([
    api.get(`/admin/contacts/${api.seg(id)}`),
    api.get(`/admin/contacts/${api.seg(id)}/consent`),
    api.get(`/admin/contacts/${api.seg(id)}/messages`),
  ]);
  const c = view.contact;
  const name = [c.traits?.firstName, c.traits?.lastName].filter(Boolean).join(' ') || c.email || c.contactId;
  const commerce = c.commerce ?? {};
  const p = view.predicted;
  const preview = h('div');
  const actions = h('div', { class: 'bar' },
    h('button', { type: 'button', onclick: () => exportContact(c) }, 'Export (JSON)'),
    canChange ? h('button', { type: 'button', class: 'danger', onclick: () => erase(c, name, target) }, 'Erase…') : null);
  fill(target,
    h('p', {}, h('a', { href: '#/contacts' }, '← Contacts')),
    h('h1', {}, name),
    h('p', { class: 'muted' }, c.email ?? 'no email', ' · id ', h('code', {}, c.contactId), ' · stage ', h('span', { class: 'badge' }, stageName(view.stage ?? '–'))),
    actions,
    h('div', { class: 'tiles' },
      tile('Orders', fmt.int(commerce.orders ?? 0), `${fmt.money(commerce.totalSpent ?? 0, commerce.currency)} spent`),
      tile('Average order', fmt.money(commerce.averageOrderValue ?? 0, commerce.currency)),
      p ? tile('Predicted value (1 year)', fmt.money(p.predictedClv), `${fmt.money(p.clvLow)} – ${fmt.money(p.clvHigh)}`) : tile('Predicted value', '–', 'no orders yet'),
      p ? tile('Still a customer', fmt.pct(p.probabilityActive, 0), p.daysToNextOrder ? `next order in ~${Math.round(p.daysToNextOrder)} days` : '') : null,
      Object.entries(view.scores ?? {}).map(([group, points]) => tile(`Score: ${group}`, fmt.num(points)))),
    p ? h('p', { class: 'muted' }, `Prediction basis: ${p.basis}`) : null,
    h('div', { class: 'grid' },
      h('section', { class: 'card' }, h('h2', {}, 'Timeline'),
        view.events.length ? h('ol', { class: 'timeline' }, view.events.map((e) => h('li', {},
          h('time', { datetime: e.timestamp }, fmt.when(e.timestamp)),
          h('strong', {}, e.event ?? (e.type === 'page' ? `Page ${e.name ?? e.properties?.path ?? ''}` : e.type)),
          describe(e)))) : h('p', { class: 'muted' }, 'No events kept.')),
      h('section', { class: 'card' }, h('h2', {}, 'Segments'),
        table([{ label: 'Segment', cell: (s) => h('a', { href: `#/segments/${api.seg(s.id)}` }, s.name ?? s.id) }, { label: 'Since', cell: (s) => fmt.when(s.since) }],
          view.segments, { empty: 'In no segment.' }),
        h('h2', {}, 'Stage history'),
        table([{ label: 'When', cell: (s) => fmt.when(s.at) }, { label: 'From', cell: (s) => (s.from ? stageName(s.from) : '–') },
          { label: 'To', cell: (s) => stageName(s.to) }, { label: 'Rule', cell: (s) => s.rule ?? '' }], [...(view.stageHistory ?? [])].reverse(), { empty: 'No stage yet.' }))),
    h('h2', {}, 'Consent ledger'),
    table([{ label: 'When', cell: (l) => fmt.when(l.at) }, { label: 'Purpose', cell: (l) => l.purpose }, { label: 'State', cell: (l) => h('span', { class: `badge ${l.state === 'granted' ? 'good' : l.state === 'withdrawn' ? 'bad' : ''}` }, l.state) },
      { label: 'Source', cell: (l) => l.source ?? '' }, { label: 'Evidence', cell: (l) => l.evidence ?? '' }], [...consent.ledger].reverse(), { empty: 'No consent recorded.' }),
    h('h2', {}, 'Messages'),
    table([{ label: 'Sent', cell: (m) => fmt.when(m.createdAt) },
      { label: 'Subject', cell: (m) => (m.channel === 'sms' ? `Text to ${m.to ?? ''} (${m.segments ?? '?'} segment${m.segments === 1 ? '' : 's'}): ${m.templateId}` : m.subject ?? m.templateId) },
      { label: 'From', cell: (m) => m.tags?.campaign ? `campaign ${m.tags.campaign}` : m.tags?.journey ? `journey ${m.tags.journey}` : m.kind },
      { label: 'Status', cell: (m) => m.status }, { label: '', cell: (m) => h('button', { type: 'button', onclick: () => openMessage(m, c.contactId, preview) }, 'Open') }],
    [...messages.messages].reverse(), { empty: 'No email or text sent to this contact.' }),
    preview);
}

function describe(e) {
  const props = e.properties ?? {};
  const bits = ['name', 'product_id', 'total', 'currency', 'template', 'campaign', 'path'].filter((k) => props[k] !== undefined).map((k) => `${k} ${props[k]}`);
  return bits.length ? h('div', { class: 'muted' }, bits.join(' · ')) : null;
}

/** The email as the template renders for this person now (the message log keeps what was sent, not its HTML). */
async function openMessage(m, contactId, into) {
  fill(into, h('p', { class: 'muted' }, 'Rendering…'));
  try {
    const r = await api.post(`/admin/templates/${api.seg(m.templateId)}/render`, { contactId });
    const sent = h('p', { class: 'muted' }, `Template ${m.templateId}, rendered for this contact now; sent ${fmt.when(m.createdAt)} as ${m.providerMessageId ?? m.messageId}.`);
    fill(into, r.type === 'sms'
      ? h('section', { class: 'card', 'aria-label': 'Text' }, h('h2', {}, 'Text'), sent, h('pre', { style: 'white-space:pre-wrap;overflow-wrap:anywhere' }, r.body))
      : h('section', { class: 'card', 'aria-label': 'Email' }, h('h2', {}, r.subject), sent, emailFrame(r.html)));
    into.scrollIntoView();
  } catch (error) {
    fill(into, alertBox(error.message));
  }
}

/** An email's HTML in a sandboxed frame (no scripts, no same-origin access); remote images are not fetched. */
export function emailFrame(html, phone = false) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const img of doc.querySelectorAll('img')) {
    if (!/^data:/.test(img.getAttribute('src') ?? '')) {
      img.setAttribute('data-src', img.getAttribute('src') ?? '');
      img.setAttribute('src', PLACEHOLDER);
    }
  }
  for (const s of doc.querySelectorAll('[srcset]')) s.removeAttribute('srcset');
  const frame = h('iframe', { class: `preview-frame${phone ? ' phone' : ''}`, sandbox: '', title: 'Email preview', referrerpolicy: 'no-referrer' });
  frame.srcdoc = '<!DOCTYPE html>' + doc.documentElement.outerHTML;
  return frame;
}

const PLACEHOLDER = 'data:image/svg+xml,' + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160"><rect width="100%" height="100%" fill="#e4e4e7"/><text x="50%" y="50%" text-anchor="middle" font-family="sans-serif" font-size="13" fill="#52525b">image (not loaded in preview)</text></svg>');

// The export is a file behind a link that works for 15 minutes (S3 on AWS), saved as an attachment: following the link downloads it.
async function exportContact(c) {
  const link = await api.get(`/admin/contacts/${api.seg(c.contactId)}/export`);
  const a = h('a', { href: link.url, rel: 'noopener' });
  document.body.append(a);
  a.click();
  a.remove();
}

async function erase(c, name, target) {
  const ok = await confirmStep(`Erase ${name}?`, 'Everything held about this person is deleted and their journeys stop. The audit log keeps only that an erasure happened. This cannot be undone.', 'Erase');
  if (!ok) return;
  await api.del(`/admin/contacts/${api.seg(c.contactId)}`);
  fill(target, h('h1', {}, 'Contact erased'), h('p', { role: 'status' }, `${name} was erased.`), h('p', {}, h('a', { href: '#/contacts' }, '← Contacts')));
}
