// Sends identify / track / page / alias to a Kindling endpoint with the tracking libraries shops use, unchanged:
// Segment's @segment/analytics-node, RudderStack's @rudderstack/rudder-sdk-node (gzip bodies by default), and
// analytics.js's own request shapes (taken from analytics-next's segmentio plugin: short paths /t /i /p /a and the
// batch path /b, Content-Type text/plain, the write key as Basic auth and in the body, preceded by the browser's
// CORS preflight). Prints one JSON line describing what each library got back. The server libraries run in the
// shop's backend, so they send its secret server key (authority); the browser sends the public write key (claims).
// Usage: node tools/tracking-clients.mjs <base url, e.g. http://127.0.0.1:3000> <write key> <server key> <run id>
import { Analytics as SegmentAnalytics } from '@segment/analytics-node'
import RudderAnalytics from '@rudderstack/rudder-sdk-node'

const [base, writeKey, serverKey, run] = process.argv.slice(2)
const report = {}

// --- Segment's Node library: batches to <host>/v1/batch
{
  const errors = []
  const segment = new SegmentAnalytics({ writeKey: serverKey, host: base, flushAt: 4, maxRetries: 0 })
  segment.on('error', (e) => errors.push(String(e.reason ?? e.code ?? e)))
  const user = `segment-${run}`
  segment.identify({ userId: user, traits: { email: `${user}@example.com`, firstName: 'Sego' } })
  segment.track({ userId: user, event: 'Product Viewed', properties: { product_id: 'p-1', name: 'Linen shirt', price: 49 } })
  segment.page({ userId: user, name: 'Home', properties: { url: 'https://shop.example.com/' } })
  segment.alias({ previousId: user, userId: `${user}-new` })
  await segment.closeAndFlush({ timeout: 20000 })
  report.segment = { errors }
}

// --- RudderStack's Node SDK: gzip bodies to <dataPlaneUrl>/v1/batch
{
  const errors = []
  const rudder = new RudderAnalytics(serverKey, {
    dataPlaneUrl: base, flushAt: 4, retryCount: 0, logLevel: 'error', errorHandler: (e) => errors.push(String(e)),
  })
  const user = `rudder-${run}`
  rudder.identify({ userId: user, traits: { email: `${user}@example.com`, firstName: 'Rudi' } })
  rudder.track({ userId: user, event: 'Product Viewed', properties: { product_id: 'p-2', name: 'Canvas tote', price: 19.5 } })
  rudder.page({ userId: user, name: 'Home', properties: { url: 'https://shop.example.com/' } })
  rudder.alias({ previousId: user, userId: `${user}-new` })
  await new Promise((resolve) => rudder.flush(() => resolve()))
  report.rudder = { errors }
}

// --- analytics.js in a browser: what analytics-next's fetch dispatcher sends
{
  const origin = 'https://shop.example.com'
  const user = `browser-${run}`
  const anonymousId = `anon-${run}`
  const headers = { 'Content-Type': 'text/plain', Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` }
  const preflight = await fetch(`${base}/v1/t`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  })
  const calls = [
    ['t', { type: 'track', event: 'Product Viewed', anonymousId, properties: { product_id: 'p-3', name: 'Wool socks', price: 12 } }],
    ['p', { type: 'page', anonymousId, name: 'Product', properties: { url: `${origin}/products/p-3` } }],
    ['i', { type: 'identify', anonymousId, userId: user, traits: { email: `${user}@example.com`, firstName: 'Brow' } }],
    ['a', { type: 'alias', userId: `${user}-new`, previousId: user }],
  ]
  const statuses = {}
  let allowOrigin = null
  for (const [path, message] of calls) {
    const body = { ...message, writeKey, messageId: `ajs-${run}-${path}`, timestamp: new Date().toISOString(),
      context: { library: { name: 'analytics.js', version: 'next-1.84.3' } }, sentAt: new Date().toISOString() }
    const response = await fetch(`${base}/v1/${path}`, { method: 'POST', headers: { ...headers, Origin: origin }, body: JSON.stringify(body) })
    statuses[path] = response.status
    allowOrigin = response.headers.get('access-control-allow-origin')
  }
  // the batching dispatcher: /b with the write key in the body and in Basic auth
  const batch = await fetch(`${base}/v1/b`, {
    method: 'POST', headers: { ...headers, Origin: origin },
    body: JSON.stringify({ writeKey, sentAt: new Date().toISOString(), batch: [
      { type: 'track', event: 'Product Added', userId: user, messageId: `ajs-${run}-b1`, timestamp: new Date().toISOString(),
        properties: { product_id: 'p-3', name: 'Wool socks', price: 12 } }] }),
  })
  statuses.b = batch.status
  report.browser = {
    preflight: {
      status: preflight.status,
      allowOrigin: preflight.headers.get('access-control-allow-origin'),
      allowHeaders: preflight.headers.get('access-control-allow-headers'),
      allowMethods: preflight.headers.get('access-control-allow-methods'),
    },
    statuses,
    allowOrigin,
  }
}

console.log(JSON.stringify(report))
