// Templates: the list, and an editor with a live preview rendered for a real contact or sample data, at
// desktop and phone widths, with the template check's problems beside it as you type.
import { h, fill, table, field, debounce, alertBox, problemList } from './dom.js';
import * as api from './api.js';
import { emailFrame } from './contacts.js';

export default async function templates(target, [id], ctx) {
  if (id) return editor(target, id, ctx);
  const list = await api.get('/admin/templates');
  fill(target, h('h1', {}, 'Templates'),
    table([
      { label: 'Template', cell: (t) => h('a', { href: `#/templates/${api.seg(t.id)}` }, t.name ?? t.id) },
      { label: 'Id', cell: (t) => h('code', {}, t.id) },
      { label: 'Kind', cell: (t) => t.type },
      { label: 'Source', cell: (t) => (t.custom ? 'the shop’s' : 'shipped') },
    ], list.templates, { caption: 'Templates' }));
}

async function editor(target, id, { canChange }) {
  const doc = await api.get(`/admin/templates/${api.seg(id)}`);
  const t = doc.template;
  if (t.type === 'sms') return textEditor(target, id, t, canChange);
  const subject = h('input', { name: 'subject', value: t.subject ?? '', readonly: !canChange, style: 'width:100%' });
  const preheader = h('input', { name: 'preheader', value: t.preheader ?? '', readonly: !canChange, style: 'width:100%' });
  const html = h('textarea', { name: 'html', spellcheck: 'false', readonly: !canChange, style: 'min-height:320px' }, t.html ?? '');
  const contact = h('input', { name: 'contact', placeholder: 'a contact id, or empty for sample data' });
  const width = h('select', { 'aria-label': 'Preview width' }, h('option', { value: 'desktop' }, 'Desktop'), h('option', { value: 'phone' }, 'Phone (375 px)'));
  const preview = h('div', { 'aria-live': 'polite' });
  const problems = h('div', { 'aria-live': 'polite' });
  const status = h('div', { 'aria-live': 'polite' });
  const current = () => ({ ...t, subject: subject.value, preheader: preheader.value, html: html.value });
  let last = null;
  const draw = () => {
    if (!last) return;
    fill(preview, h('p', {}, h('strong', {}, 'Subject: '), last.subject, last.preheader ? h('span', { class: 'muted' }, ` — ${last.preheader}`) : null),
      emailFrame(last.html, width.value === 'phone'));
  };
  const render = livePreview(id, current, contact, problems, (r) => {
    last = r;
    draw();
  });
  for (const input of [subject, preheader, html, contact]) input.addEventListener('input', render);
  width.addEventListener('change', draw);
  const form = h('form', { onsubmit: save(id, current, status) },
    field('Subject (Liquid)', subject, 'block'), field('Preheader', preheader, 'block'),
    h('label', { style: 'display:flex' }, 'HTML (Liquid; every output is HTML-escaped unless it ends in | trusted_html)', html),
    canChange ? h('button', { type: 'submit', class: 'primary' }, 'Save') : null, status);
  fill(target, h('p', {}, h('a', { href: '#/templates' }, '← Templates')), h('h1', {}, t.name ?? id),
    h('div', { class: 'split' }, h('section', {}, form),
      h('section', { class: 'card' }, h('div', { class: 'bar' }, h('h2', {}, 'Preview'), width, field('Render for', contact)), problems, preview)));
  render();
}

// A text message: its Liquid body, and the text as the person's first marketing text would read (the shop's name
// first, the STOP line last), with its encoding and segments beside the shop's limit, since each segment is billed.
async function textEditor(target, id, t, canChange) {
  const body = h('textarea', { name: 'body', spellcheck: 'true', readonly: !canChange, style: 'min-height:160px' }, t.body ?? '');
  const contact = h('input', { name: 'contact', placeholder: 'a contact id, or empty for sample data' });
  const preview = h('div', { 'aria-live': 'polite' });
  const problems = h('div', { 'aria-live': 'polite' });
  const status = h('div', { 'aria-live': 'polite' });
  const current = () => ({ ...t, body: body.value });
  const render = livePreview(id, current, contact, problems, (r) => {
    const over = r.segments > r.maxSegments;
    fill(preview, h('pre', { class: 'text-bubble', style: 'white-space:pre-wrap;overflow-wrap:anywhere;box-sizing:border-box;max-width:min(320px, 100%);background:#f4f4f5;padding:12px;border-radius:12px' }, r.body),
      h('p', { 'data-testid': 'sms-segments', class: over ? 'alert' : 'muted', role: over ? 'alert' : null },
        `${r.encoding === 'GSM_7' ? 'GSM-7' : 'UCS-2 (a character outside GSM-7)'} · ${r.characters} characters · `
        + `${r.segments} segment${r.segments === 1 ? '' : 's'}, each billed as one message`
        + (over ? ` · over the shop's ${r.maxSegments}: it would not be sent` : ` (the shop allows ${r.maxSegments})`)));
  });
  for (const input of [body, contact]) input.addEventListener('input', render);
  const form = h('form', { onsubmit: save(id, current, status) },
    h('label', { style: 'display:flex' }, 'Text (Liquid; plain text, nothing is escaped)', body),
    canChange ? h('button', { type: 'submit', class: 'primary' }, 'Save') : null, status);
  fill(target, h('p', {}, h('a', { href: '#/templates' }, '← Templates')), h('h1', {}, t.name ?? id),
    h('div', { class: 'split' }, h('section', {}, form),
      h('section', { class: 'card' }, h('div', { class: 'bar' }, h('h2', {}, 'Preview'), field('Render for', contact)), problems, preview)));
  render();
}

// Renders the template as it stands in the editor, for a contact or with sample data, as the author types; an answer to an
// older version that comes late is dropped, so the preview and the check's problems are always the latest's.
function livePreview(id, current, contact, problems, show) {
  let asked = 0;
  return debounce(async () => {
    const mine = ++asked;
    try {
      const request = { template: current() };
      if (contact.value.trim()) request.contactId = contact.value.trim();
      const r = await api.post(`/admin/templates/${api.seg(id)}/render`, request);
      if (mine !== asked) return;
      show(r);
      checked(problems, r);
    } catch (error) {
      if (mine !== asked) return;
      refused(problems, error);
    }
  }, 300);
}

// What the template check said beside the preview, or why the preview could not be rendered (with the part and line).
function checked(problems, r) {
  fill(problems, r.problems?.length ? h('div', { class: 'alert', role: 'alert' }, 'The template check finds:', h('ul', { class: 'problems' }, r.problems.map((p) => h('li', {}, p))))
    : h('p', { class: 'muted' }, 'The template check finds no problem.'));
}

function refused(problems, error) {
  const b = error.body ?? {};
  fill(problems, alertBox(b.line ? `${b.part ?? 'template'} line ${b.line}: ${error.message}` : error.message));
}

function save(id, current, status) {
  return async (e) => {
    e.preventDefault();
    try {
      await api.put(`/admin/templates/${api.seg(id)}`, current());
      fill(status, h('p', { class: 'note', role: 'status' }, 'Saved.'));
    } catch (error) {
      fill(status, problemList(error));
    }
  };
}
