// The dashboard in Debian's Chromium, driven by playwright-core (DashboardBrowserTest runs it against a
// local runtime holding a small demo shop): signs in, opens every page at desktop and phone sizes with no
// console error and no failed request, builds segments by clicks (no JSON) and checks their documents and counts, imports a file, schedules a
// campaign in the UI and waits for it in the outbox, erases a contact from its page, and checks that a
// read-only token sees no edit control. Screenshots go to the folder given.
//
// node tools/dashboard-browser.mjs BASE_URL WRITE_TOKEN READ_BASE_URL READ_TOKEN SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [base, token, readBase, readToken, shots] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
mkdirSync(shots, { recursive: true });

// Chromium talks to nothing but the page's origin: no background requests, no updates, no sync.
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'], // Playwright gives each launch a new empty profile of its own
});

const problems = [];
const started = Date.now();
const step = (what) => console.log(`- [${Math.round((Date.now() - started) / 1000)} s] ${what}`);

/** A page that records console errors, page errors, failed requests and answers of 400 and above. */
async function open(url, viewport) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, serviceWorkers: 'block', acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400 && !expected.has(`${r.request().method()} ${new URL(r.url()).pathname}`)) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin) && !r.url().startsWith('data:') && !r.url().startsWith('about:') && !r.url().startsWith('blob:')) problems.push(`request outside the origin: ${r.url()}`); });
  await page.goto(url);
  return page;
}

/** Answers a test provokes on purpose (the erased contact, looked up again). */
const expected = new Set();

async function signIn(page, t) {
  await page.getByLabel('Admin token').fill(t);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('nav a').first().waitFor();
}

/** Goes to a page by its hash and waits until it has drawn (no longer busy) without an error box. */
async function visit(page, hash, heading) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  if (heading) await page.getByRole('heading', { name: heading, exact: false }).first().waitFor();
  const alert = await page.locator('[role="alert"]').allTextContents();
  if (alert.length) problems.push(`${hash}: ${alert.join(' | ')}`);
}

/** Types a value into a field and leaves it, as a person does, so its change lands. */
async function typed(field, value) {
  await field.fill(value);
  await field.press('Tab');
}

/** A document as JSON with its keys sorted, to compare what was saved with what was meant. */
const canonical = (x) => JSON.stringify(x, (k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

/** Simulates the journey on the page by its form: a new subscriber who does {event} {after} {unit} in; the outcome line. */
async function simulate(page, after, unit, event) {
  await page.getByLabel('Event 1: after (number)').fill(String(after));
  await page.getByLabel('Event 1: after (unit)').selectOption(unit);
  await page.getByLabel('Event 1: event').fill(event);
  await page.getByRole('button', { name: 'Simulate' }).click();
  return (await page.getByText(/ email\(s\); /).textContent()).trim();
}

/** axe-core's serious and critical findings on the page as it stands (WCAG 2.x A and AA rules and best practices). */
const accessibility = new Map();
async function audit(page, name) {
  // the template preview is the email as it is sent, in a sandboxed frame axe cannot enter; the page around it is checked
  const results = await new AxeBuilder({ page }).exclude('iframe.preview-frame').analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  accessibility.set(name, results.violations.length);
  for (const v of bad) problems.push(`axe on ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.any?.[0]?.message ?? ''}`).join('; ')}`);
}

async function api(method, path, body, t = token, b = base) {
  const r = await fetch(b + path, { method, headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

const PAGES = [
  ['overview', '#/overview', 'Overview'], ['contacts', '#/contacts', 'Contacts'], ['segments', '#/segments', 'Segments'],
  ['journeys', '#/journeys', 'Journeys'], ['campaigns', '#/campaigns', 'Campaigns'], ['templates', '#/templates', 'Templates'],
  ['deliverability', '#/deliverability', 'Deliverability'], ['cost', '#/cost', 'Cost'], ['imports', '#/imports', 'Imports'],
];

try {
  // a contact with orders, for the profile pages
  const buyers = await api('POST', '/admin/segments/preview', { condition: { metric: 'orders', op: 'gte', value: 2 } });
  const buyer = buyers.body.sample[0].contactId;
  const detail = [['contact', `#/contacts/${buyer}`, 'Timeline'], ['segment-editor', '#/segments/repeat-buyers', 'Repeat buyers'],
    ['journey', '#/journeys/welcome', 'Welcome'], ['campaign', '#/campaigns/weekly-news', 'Weekly newsletter'], ['template', '#/templates/newsletter', 'Newsletter'],
    ['sms-template', '#/templates/abandoned-checkout-text', 'Text: your cart is waiting']];

  // a campaign scheduled in the UI a minute ahead reaches the outbox, each subscribed member once; scheduled first,
  // so the pages below are checked while its minute comes, and checked after them
  const before = (await (await fetch(base + '/outbox.json')).json());
  const outboxBefore = (Array.isArray(before) ? before : before.emails ?? []).length;
  const scheduling = await open(base + '/', { width: 1280, height: 900 });
  await signIn(scheduling, token);
  await visit(scheduling, '#/campaigns/new', 'New campaign');
  await scheduling.getByLabel('Id', { exact: true }).fill('ui-campaign');
  await scheduling.getByLabel('Name', { exact: true }).fill('Scheduled in the dashboard');
  await scheduling.getByRole('group', { name: 'Send to the members of' }).getByLabel('Repeat buyers').check();
  await scheduling.getByLabel('Variant a template').selectOption('newsletter');
  await scheduling.locator('select[name="when"]').selectOption('at');
  // the form takes whole minutes: the next one at least 20 s away, so the form is saved before it comes
  const at = new Date(Math.ceil((Date.now() + 20000) / 60000) * 60000);
  await scheduling.locator('input[name="at"]').fill(at.toISOString().slice(0, 16));
  await scheduling.getByRole('button', { name: 'Save and schedule' }).click();
  await scheduling.getByText('Scheduled: the next send is at').waitFor();
  await scheduling.context().close();

  for (const [size, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const page = await open(base + '/', viewport);
    if (size === 'desktop') await page.screenshot({ path: join(shots, 'sign-in-desktop.png') });
    await audit(page, `sign-in (${size})`);
    await signIn(page, token);
    for (const [name, hash, heading] of [...PAGES, ...detail]) {
      await visit(page, hash, heading);
      if (name === 'template') await page.locator('iframe.preview-frame').waitFor();
      if (name === 'sms-template') await page.getByTestId('sms-segments').getByText('GSM-7', { exact: false }).waitFor();
      if (name === 'segment-editor') await page.getByTestId('preview-count').waitFor();
      await audit(page, `${name} (${size})`);
      await page.screenshot({ path: join(shots, `${name}-${size}.png`), fullPage: size === 'desktop' && name !== 'overview' ? false : false });
    }
    step(`${size}: signed in; ${PAGES.length + detail.length} pages drawn, each checked by axe-core`);
    if (size === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 4) problems.push(`phone: the page is ${overflow} px wider than the screen`);
    }
    await page.context().close();
  }

  // the range picker: last year, then two dates of one's own; the overview shows revenue against the year before
  {
    const page = await open(base + '/', { width: 1280, height: 900 });
    await signIn(page, token);
    await visit(page, '#/overview', 'Overview');
    await page.getByLabel('Date range').selectOption('last-year');
    await page.getByText('1 Jan to 31 Dec (UTC)').waitFor();
    await page.getByText('a year earlier').first().waitFor();
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill('2026-11-01');
    await page.getByLabel('From', { exact: true }).dispatchEvent('change');
    await page.getByLabel('To', { exact: true }).fill('2026-11-30');
    await page.getByLabel('To', { exact: true }).dispatchEvent('change');
    await page.getByText('1 Nov to 30 Nov (UTC)').waitFor();
    await audit(page, 'overview, custom range');
    step('range: last year, then 1 to 30 November by hand; revenue shown against a year earlier');
    await page.context().close();
  }

  const page = await open(base + '/', { width: 1280, height: 900 });
  await signIn(page, token);

  // keyboard: the skip link and the navigation are reachable with Tab, and Enter opens a page
  const firstStop = await page.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, textarea')].find((e) => !e.closest('[hidden]'))?.className);
  if (firstStop !== 'skip') problems.push(`keyboard: the first stop in the tab order is ${firstStop}, not the skip link`);
  await page.locator('a.skip').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#main' || document.activeElement?.id === 'main');
  await page.locator('nav a[data-page="segments"]').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Segments' }).waitFor();
  step('keyboard: the skip link is the first stop and Enter follows it; Enter on a navigation link opens its page');

  // a segment built by clicks and typed values only (no JSON): the live count is the API's, and the saved segment fills to it
  const condition = { all: [{ metric: 'orders', op: 'gte', value: 2 }, { trait: 'email', op: 'exists' }] };
  const truth = (await api('POST', '/admin/segments/preview', { condition })).body.count;
  await visit(page, '#/segments/new', 'New segment');
  await page.getByLabel('Id', { exact: true }).fill('ui-repeat');
  await page.getByLabel('Name', { exact: true }).fill('Made in the dashboard');
  const row = (n) => page.getByRole('group', { name: `Condition ${n}`, exact: true });
  // the new segment opens with "orders ≥ 1 and Product Viewed in the last 14 days": orders to 2, the second row made a field
  await typed(row(1).getByLabel('Value', { exact: true }), '2');
  await row(2).getByLabel('Kind of condition').selectOption('trait');
  await typed(row(2).getByLabel('Field', { exact: true }), 'email');
  await row(2).getByLabel('Operator', { exact: true }).selectOption('exists');
  await page.getByTestId('builder-words').getByText('Orders ≥ 2 and Email is set').waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-testid="preview-count"]')?.textContent === new Intl.NumberFormat('en-US').format(n), truth);
  await page.getByRole('button', { name: 'Create segment' }).click();
  await page.getByText('Saved.').waitFor();
  const stored = (await api('GET', '/admin/segments/ui-repeat')).body.segment.condition;
  if (JSON.stringify(stored) !== JSON.stringify(condition)) problems.push(`segment builder: saved ${JSON.stringify(stored)}, not ${JSON.stringify(condition)}`);
  let members = -1;
  for (let i = 0; i < 120 && members !== truth; i++) {
    const r = await api('GET', '/admin/reports/segments');
    members = r.body.rows.find((x) => x.segment === 'ui-repeat')?.members ?? -1;
    if (members !== truth) await new Promise((res) => setTimeout(res, 500));
  }
  if (members !== truth) problems.push(`segment: ${members} members after the backfill, the preview counted ${truth}`);
  await visit(page, '#/segments', 'Segments');
  const listed = page.locator('tr', { hasText: 'Made in the dashboard' });
  const shown = await listed.locator('td').nth(2).textContent();
  if (shown !== new Intl.NumberFormat('en-US').format(truth)) problems.push(`segment list shows ${shown} members, expected ${truth}`);
  const who = (await listed.locator('td').nth(1).textContent()).trim();
  if (who !== 'Orders ≥ 2 and Email is set') problems.push(`segment list says who is in it as "${who}"`);
  step(`segment: built by clicks, previewed ${truth}, filled to ${members} members, listed as ${shown} with "${who}"`);

  // the contacts page browses: the segment's members, the most valuable first, counted as the report counts them
  await visit(page, '#/contacts', 'Contacts');
  await page.getByLabel('Segment', { exact: true }).selectOption('ui-repeat');
  await page.getByLabel('Order', { exact: true }).selectOption('value');
  await page.locator('[data-testid="contact-count"][data-sort="value"]').getByText(`${new Intl.NumberFormat('en-US').format(truth)} contacts`, { exact: true }).waitFor();
  const spent = await page.locator('table').last().locator('tbody tr td:nth-child(5)').allTextContents();
  const amounts = spent.map((x) => Number(x.replace(/[^0-9.]/g, '')));
  if (!amounts.length || amounts.some((a, i) => i > 0 && a > amounts[i - 1])) problems.push(`contacts: the most valuable first, but the amounts read ${spent.join(', ')}`);
  step(`contacts: browsed the segment's ${truth} members, the most valuable first (${spent.slice(0, 3).join(', ')} …)`);

  // the seeds' abandoned checkout, by clicks: "Checkout Started in the last hour, and no Order Completed since"
  await visit(page, '#/segments/new', 'New segment');
  await page.getByLabel('Id', { exact: true }).fill('ui-checkout-abandoned');
  await page.getByLabel('Name', { exact: true }).fill('Checkout started, no order since');
  await row(1).getByLabel('Kind of condition').selectOption('event');
  await typed(row(1).getByLabel('Event', { exact: true }), 'Checkout Started');
  await typed(row(1).getByLabel('In the last (number)'), '1');
  await row(1).getByLabel('In the last (unit)').selectOption('hours');
  await row(2).getByLabel('Did or did not').selectOption('no');
  await typed(row(2).getByLabel('Event', { exact: true }), 'Order Completed');
  await typed(row(2).getByLabel('In the last (number)'), '');
  await typed(row(2).getByLabel('Since the last event (optional)'), 'Checkout Started');
  const abandonedWords = 'Checkout Started in the last 1 hour and No Order Completed since the last Checkout Started';
  await page.getByTestId('builder-words').getByText(abandonedWords).waitFor();
  await page.getByRole('button', { name: 'Create segment' }).click();
  await page.getByText('Saved.').waitFor();
  const abandoned = (await api('GET', '/admin/segments/ui-checkout-abandoned')).body.segment.condition;
  const expectedAbandoned = { all: [{ event: 'Checkout Started', within: { hours: 1 } }, { event: 'Order Completed', performed: false, afterLast: 'Checkout Started' }] };
  if (JSON.stringify(abandoned) !== JSON.stringify(expectedAbandoned)) problems.push(`abandoned-checkout segment saved as ${JSON.stringify(abandoned)}`);
  await page.screenshot({ path: join(shots, 'segment-builder-desktop.png') });
  await audit(page, 'segment builder');
  await page.getByRole('button', { name: 'Code' }).click();
  const code = JSON.parse(await page.getByLabel('Condition (JSON)').inputValue());
  if (JSON.stringify(code) !== JSON.stringify(expectedAbandoned)) problems.push(`the code toggle shows ${JSON.stringify(code)}`);
  step(`segment: the seeds' abandoned checkout built by clicks, saved as the API's document, and shown as code on asking`);

  // a journey simulated by form (no JSON): the abandoned checkout for a subscriber who orders 30 hours after it starts
  await visit(page, '#/journeys/abandoned-checkout', 'Abandoned checkout');
  await page.getByText('Wait 1 hour', { exact: true }).waitFor();
  const simulated = await simulate(page, 30, 'hours', 'Order Completed');
  if (!simulated.startsWith('2 email(s); left the journey (ordered)')) problems.push(`simulator: "${simulated}", not the two emails before the order ended it`);
  if (/[{}]/.test(await page.evaluate(() => document.querySelector('main').innerText))) problems.push('journey page: raw JSON shown with the code closed');
  await page.screenshot({ path: join(shots, 'journey-simulator-desktop.png') });
  await audit(page, 'journey simulator');
  step(`journey: simulated by form: ${simulated}`);

  // the seeds' abandoned cart as a journey built by form: wait 1 hour, the reminder, wait 1 day, then the last call only
  // for those who opened the reminder; checked through the admin API, then simulated by form
  await visit(page, '#/journeys/new', 'New journey');
  await typed(page.getByLabel('Id', { exact: true }), 'ui-abandoned-cart');
  await typed(page.getByLabel('Name', { exact: true }), 'Abandoned cart, built in the dashboard');
  await typed(page.getByLabel('Event', { exact: true }), 'Checkout Started');
  await typed(page.getByLabel('One entry per'), 'property:checkout_token|checkout_id|cart_id');
  await typed(page.getByLabel('Goals: any of these events ends it (comma-separated)'), 'Order Completed');
  await page.getByLabel('On', { exact: true }).check();
  await page.getByLabel('Step 2: template').selectOption('abandoned-checkout');
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '+ Step at the end' }).click();
  await page.getByLabel('Step 5 does').selectOption('send');
  await page.getByLabel('Step 5: template').selectOption('abandoned-checkout-last-call');
  await page.getByLabel('Step 4 does').selectOption('if');
  const branch = page.getByRole('region', { name: 'Step 4' });
  await branch.getByLabel('Kind of condition').selectOption('did');
  await typed(branch.getByLabel('Event', { exact: true }), 'Email Opened');
  await page.getByLabel('Step 4: if yes, go to').selectOption('step-5');
  await page.getByLabel('Step 4: if no, go to').selectOption('end');
  // an A/B test at entry: variant b gets another last call
  await page.getByRole('button', { name: 'Add an A/B test' }).click();
  await page.getByLabel('Step 5: template for variant b').selectOption('abandoned-checkout-reminder');
  await page.screenshot({ path: join(shots, 'journey-builder-desktop.png'), fullPage: true });
  await audit(page, 'journey builder');
  await page.getByRole('button', { name: 'Create journey' }).click();
  // the journey's page, or the problems the API answered (named, so a failure here says why)
  const refused = await Promise.race([page.getByRole('heading', { name: 'Abandoned cart, built in the dashboard' }).waitFor().then(() => null),
    page.locator('form [role="alert"]').first().waitFor().then(() => page.locator('form [role="alert"]').allTextContents())]);
  if (refused) throw new Error(`the journey builder's save was refused: ${refused.join(' | ')}`);
  const built = (await api('GET', '/admin/journeys/ui-abandoned-cart')).body.definition;
  const meant = { name: 'Abandoned cart, built in the dashboard', enabled: true, trigger: { event: 'Checkout Started' }, key: 'property:checkout_token|checkout_id|cart_id',
    goals: ['Order Completed'], variants: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }], steps: [{ id: 'wait-first', wait: 'PT1H' }, { id: 'first', send: 'abandoned-checkout' }, { id: 'step-3', wait: 'P1D' },
      { id: 'step-4', if: { did: 'Email Opened' }, then: 'step-5', else: 'end' }, { id: 'step-5', send: { template: 'abandoned-checkout-last-call', variants: { b: 'abandoned-checkout-reminder' } } }] };
  if (canonical(built) !== canonical(meant)) problems.push(`journey builder: saved ${JSON.stringify(built)}`);
  await page.getByText('If Did Email Opened since entering', { exact: true }).waitFor();
  const walked = await simulate(page, 2, 'hours', 'Email Opened');
  if (!walked.startsWith('2 email(s); went through to the end')) problems.push(`built journey simulated: "${walked}", not the reminder and the last call`);
  step(`journey: the abandoned cart built by form, saved as the API's document, simulated by form: ${walked}`);

  // a weekly campaign with a subject A/B test, by form: two segments' members less a third, two templates, the winner
  // by opens after 4 hours, Mondays at 09:00 in each contact's own zone; checked through the admin API
  await visit(page, '#/campaigns/new', 'New campaign');
  await page.getByLabel('Id', { exact: true }).fill('ui-weekly');
  await page.getByLabel('Name', { exact: true }).fill('Weekly, with a subject test');
  await page.getByRole('group', { name: 'Send to the members of' }).getByLabel('Repeat buyers').check();
  await page.getByRole('group', { name: 'Send to the members of' }).getByLabel('Made in the dashboard').check();
  await page.getByRole('group', { name: 'Except the members of' }).getByLabel('Checkout started, no order since').check();
  await page.getByLabel('Variant a template').selectOption('newsletter');
  await page.getByRole('button', { name: '+ Variant (A/B test)' }).click();
  const other = (await page.getByLabel('Variant b template').locator('option').evaluateAll((os) => os.map((o) => o.value))).find((v) => v !== 'newsletter');
  await page.getByLabel('Variant b template').selectOption(other);
  await page.getByLabel('Test on (% of the audience)').fill('20');
  await page.getByLabel('Winner by').selectOption('opens');
  await page.getByLabel('Decide after (hours)').fill('4');
  await page.getByLabel('At least, per variant').fill('100');
  await page.getByLabel('When', { exact: true }).selectOption('weekly');
  await page.getByLabel('Weekday').selectOption('MON');
  await page.getByLabel('Time', { exact: true }).fill('09:00');
  await page.getByLabel('In', { exact: true }).selectOption('contact');
  await page.screenshot({ path: join(shots, 'campaign-editor-desktop.png'), fullPage: true });
  await audit(page, 'campaign editor');
  await page.getByRole('button', { name: 'Save and schedule' }).click();
  await page.getByText('Scheduled: the next send is at').waitFor();
  const weekly = (await api('GET', '/admin/campaigns/ui-weekly')).body.definition;
  const weeklyMeant = { name: 'Weekly, with a subject test', audience: { segments: ['repeat-buyers', 'ui-repeat'], exclude: ['ui-checkout-abandoned'] },
    message: { variants: [{ id: 'a', template: 'newsletter' }, { id: 'b', template: other }] },
    test: { percent: 20, metric: 'opens', after: 'PT4H', probability: 0.95, minPerVariant: 100 }, schedule: { cron: '0 9 ? * MON *', zone: 'contact' } };
  if (canonical(weekly) !== canonical(weeklyMeant)) problems.push(`campaign editor: saved ${JSON.stringify(weekly)}`);
  step(`campaign: a weekly subject test built by form and saved as the API's document (newsletter against ${other}, in each contact's zone)`);

  // an import from the dashboard: Shopify's customer export sent from the file input, followed until it is done
  await visit(page, '#/imports', 'Imports');
  await page.getByLabel('Format').selectOption('shopify-customers-csv');
  await page.getByLabel('File').setInputFiles(join(process.cwd(), 'events/payloads/imports/shopify-customers.csv'));
  await page.getByRole('button', { name: 'Import file', exact: true }).click();
  await page.getByText(/Import .* started\./).waitFor();
  const imported = page.locator('tr', { hasText: 'shopify-customers.csv' }).first();
  await imported.getByText('done', { exact: true }).waitFor({ timeout: 60000 });
  const cells = (await imported.locator('td').allTextContents()).map((c) => c.trim());
  if (cells[3] !== '3' || cells[4] !== '0' || cells[6] !== '2') problems.push(`import: the row shows ${cells.join(' | ')}, not 3 imported (0 into known profiles) and 2 skipped`);
  await imported.getByText('2 shown').click();
  await page.getByText('line 6: no Email and no Phone', { exact: false }).waitFor();
  step(`import: the sample customer export imported from the dashboard: ${cells.join(' | ')}`);

  // a read-only token: the pages draw, and no control that would change anything is there
  const ro = await open(readBase + '/', { width: 1280, height: 900 });
  await signIn(ro, readToken);
  for (const [, hash, heading] of PAGES) await visit(ro, hash, heading);
  // that shop's currency is the euro (its email settings): its money is shown in euros, not in dollars
  await visit(ro, '#/overview', 'Overview');
  const revenue = (await ro.locator('.tile', { has: ro.locator('.label', { hasText: /^Revenue$/ }) }).locator('.value').textContent()).trim();
  if (revenue !== '€0.00') problems.push(`currency: the read-only shop's revenue shows as ${revenue}, not in its currency (€0.00)`);
  const editing = [];
  for (const hash of ['#/segments', '#/segments/new', '#/campaigns', '#/deliverability', '#/templates/newsletter', '#/journeys/welcome', '#/imports']) {
    await ro.evaluate((h) => { location.hash = h; }, hash);
    await ro.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    for (const label of ['Save', 'Create segment', 'New segment', 'New campaign', 'Turn on', 'Turn off', 'Erase…', 'Remove', 'Save definition', 'Run now', 'Import file', 'Pull from Shopify']) {
      if (await ro.getByRole('button', { name: label, exact: true }).count() || await ro.getByRole('link', { name: label }).count()) editing.push(`${hash}: ${label}`);
    }
  }
  if (editing.length) problems.push(`read-only token sees edit controls: ${editing.join(', ')}`);
  step(`read-only token: every page drawn, ${editing.length} edit controls shown; its shop's revenue shown as ${revenue}`);
  await ro.context().close();

  // the campaign scheduled at the start: its run is done, and the outbox holds one email per person it counts sent
  let run = null;
  for (let i = 0; i < 240 && run?.status !== 'done'; i++) {
    await new Promise((res) => setTimeout(res, 1000));
    run = (await api('GET', '/admin/campaigns/ui-campaign/runs')).body.runs[0];
  }
  const after = await (await fetch(base + '/outbox.json')).json();
  const sent = (Array.isArray(after) ? after : after.emails ?? []).slice(outboxBefore).filter((m) => JSON.stringify(m).includes('ui-campaign'));
  const recipients = new Set(sent.map((m) => m.to ?? m.email?.to));
  if (!run || run.status !== 'done') problems.push(`campaign: the run is ${JSON.stringify(run)}`);
  if (!sent.length) problems.push('campaign: nothing in the outbox');
  if (recipients.size !== sent.length) problems.push(`campaign: ${sent.length} emails to ${recipients.size} people`);
  if (run && (run.counts.sent ?? 0) !== sent.length) problems.push(`campaign: the run counts ${run.counts.sent} sent, the outbox holds ${sent.length}`);
  await visit(page, '#/campaigns/ui-campaign', 'Scheduled in the dashboard');
  await page.screenshot({ path: join(shots, 'campaign-sent-desktop.png') });
  step(`campaign: scheduled for ${at.toISOString()}, ${sent.length} emails in the outbox to ${recipients.size} people (${JSON.stringify(run?.counts)})`);

  // an erasure from the contact page: the contact is gone from the API and from the search
  const victim = (await api('POST', '/admin/segments/preview', { condition: { trait: 'email', op: 'exists' } })).body.sample.at(-1);
  const found = (await api('GET', `/admin/contacts/${victim.contactId}`)).body.contact;
  const name = `${found.traits.firstName} ${found.traits.lastName}`;
  await visit(page, '#/contacts', 'Contacts');
  await page.getByLabel('Search contacts').fill(found.email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('button', { name: 'Erase…' }).waitFor();
  await page.getByRole('button', { name: 'Erase…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Erase' }).click();
  await page.getByText(`${name} was erased.`).waitFor();
  expected.add(`GET /admin/contacts/${victim.contactId}`);
  const gone = await api('GET', `/admin/contacts/${victim.contactId}`);
  const again = await api('GET', `/admin/contacts?q=${encodeURIComponent(found.email)}`);
  if (gone.status !== 404) problems.push(`erasure: the contact answers ${gone.status}`);
  if (again.body.contacts.length) problems.push(`erasure: the search still finds ${JSON.stringify(again.body.contacts)}`);
  step(`erasure: ${victim.contactId} erased from its page; the API answers ${gone.status}, the search finds ${again.body.contacts.length}`);
  await page.context().close();
} catch (error) {
  problems.push(`stopped: ${error.stack ?? error}`);
} finally {
  await browser.close();
}

console.log(`- axe-core: ${accessibility.size} pages checked; findings of any impact per page: ${[...accessibility].map(([n, k]) => `${n} ${k}`).join(', ')}`);
if (problems.length) {
  console.log('PROBLEMS');
  for (const p of problems) console.log(`  ${p}`);
  process.exit(1);
}
console.log('OK');
