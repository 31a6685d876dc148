// The dashboard's overview in Debian's Chromium, loaded N times with a cold cache (bin/bench-dashboard runs it
// against a local runtime holding the demo shop): for each load, the time from navigation to the sign-in form,
// from the sign-in click to the overview drawn, and the bytes transferred (headers and bodies, as received).
// Prints one JSON line.
//
// node tools/dashboard-bench.mjs BASE_URL TOKEN LOADS
import { chromium } from 'playwright-core';

const [base, token, loads = '10'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'], // Playwright gives each launch a new empty profile of its own
});
const runs = [];
for (let i = 0; i < Number(loads); i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const responses = [];
  page.on('requestfinished', (r) => responses.push(r));
  const t0 = Date.now();
  await page.goto(base + '/');
  await page.getByLabel('Admin token').waitFor();
  const form = Date.now() - t0;
  const t1 = Date.now();
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.tile .value').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && document.querySelectorAll('svg.chart').length >= 6);
  const overview = Date.now() - t1;
  let bytes = 0;
  let api = 0;
  for (const r of responses) {
    const s = await r.sizes();
    bytes += s.responseBodySize + s.responseHeadersSize;
    if (new URL(r.url()).pathname.startsWith('/admin/')) api += s.responseBodySize + s.responseHeadersSize;
  }
  runs.push({ formMs: form, overviewMs: overview, totalMs: form + overview, bytes, apiBytes: api, requests: responses.length });
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ runs }));
