#!/usr/bin/env python3
"""Writes events/<Function>/*.json: API Gateway (HTTP API, payload 2.0) events for `sam local invoke -e`
and the handler tests, with bodies from events/payloads signed by the demo shop's secrets."""
import base64, hashlib, hmac, json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "events"
payloads = root / "payloads"

def event(route, path, headers, body="", path_params=None, query=""):
    return {
        "version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": query,
        "headers": headers, "pathParameters": path_params or {},
        "requestContext": {"routeKey": route, "stage": "$default", "requestId": "sample",
                           "http": {"method": route.split()[0], "path": path, "protocol": "HTTP/1.1",
                                    "sourceIp": "127.0.0.1", "userAgent": "sample"}},
        "body": body, "isBase64Encoded": False,
    }

def sign(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()).decode()

def write(function, name, value):
    folder = root / function
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps(value, indent=2) + "\n")

# each delivery its own webhook id and event id, as Shopify sends them (Kindling dedupes on the event id)
for topic, file, webhook, event_id in [
        ("orders/create", "shopify-orders-create.json", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "98880550-7158-44d4-b7cd-2c97c8a091b5"),
        ("checkouts/create", "shopify-checkouts-create.json", "3c1d9a6e-54e1-4f0a-9d43-1f1b2e7c8a90", "5d2e7f41-9a0c-4b1e-8f63-0c7a2d9e4b18"),
        ("customers/redact", "shopify-customers-redact.json", "e0c6a7b2-31d4-4c8e-9f1a-6b2d8c4e7a19", "7a3f9c1e-2b4d-4e6f-8a0c-9d1e3f5a7b2c")]:
    body = (payloads / file).read_text()
    write("IngestFunction", file, event("POST /webhooks/shopify/{shopId}", "/webhooks/shopify/demo", {
        "content-type": "application/json", "x-shopify-topic": topic,
        "x-shopify-hmac-sha256": sign("demo-shopify-secret", body), "x-shopify-shop-domain": "demo.myshopify.com",
        "x-shopify-api-version": "2025-10", "x-shopify-webhook-id": webhook,
        "x-shopify-event-id": event_id, "x-shopify-triggered-at": "2026-11-20T15:15:01Z"},
        body, {"shopId": "demo"}))

body = (payloads / "woocommerce-order-created.json").read_text()
write("IngestFunction", "woocommerce-order-created.json", event("POST /webhooks/woocommerce/{shopId}", "/webhooks/woocommerce/demo", {
    "content-type": "application/json", "x-wc-webhook-source": "https://shop.example.com/",
    "x-wc-webhook-topic": "order.created", "x-wc-webhook-resource": "order", "x-wc-webhook-event": "created",
    "x-wc-webhook-signature": sign("demo-woo-secret", body), "x-wc-webhook-id": "12",
    "x-wc-webhook-delivery-id": "7f4c1a5e0b2d4e9c8a6f3b1d2c4e5f60"}, body, {"shopId": "demo"}))

basic = "Basic " + base64.b64encode(b"demo-write-key:").decode()
for kind in ["track", "identify"]:
    body = (payloads / f"tracking-{kind}.json").read_text()
    write("IngestFunction", f"tracking-{kind}.json", event("POST /v1/{type+}", f"/v1/{kind}", {
        "content-type": "application/json", "authorization": basic}, body, {"type": kind}))

write("AdminFunction", "contact-by-email.json", event("GET /admin/contacts", "/admin/contacts", {
    "authorization": "Bearer demo-admin-token"}, query="email=jon%40example.com"))

segment = {"name": "Checkout started in the last 24 hours, no order since",
           "condition": {"all": [{"event": "Checkout Started", "within": {"hours": 24}},
                                 {"event": "Order Completed", "performed": False, "afterLast": "Checkout Started"}]}}
write("AdminFunction", "put-segment.json", event("PUT /admin/segments/{id}", "/admin/segments/abandoned-checkout", {
    "authorization": "Bearer demo-admin-token", "content-type": "application/json"}, json.dumps(segment),
    {"id": "abandoned-checkout"}))
write("AdminFunction", "get-scoring.json", event("GET /admin/scoring", "/admin/scoring", {
    "authorization": "Bearer demo-admin-token"}))

def bus(source, detail_type, detail):
    """An EventBridge event as a rule delivers it to a Lambda function."""
    return {"version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718", "detail-type": detail_type,
            "source": source, "account": "000000000000", "time": "2026-11-20T15:15:01Z", "region": "us-east-1",
            "resources": [], "detail": detail}

checkout = {"shopId": "demo", "contactId": "00000000-0000-4000-8000-000000000001",
            "event": {"messageId": "sample-checkout", "type": "track", "event": "Checkout Started",
                      "email": "jon@example.com", "properties": {"checkout_id": "sample"},
                      "timestamp": "2026-11-20T15:15:01Z", "receivedAt": "2026-11-20T15:15:01Z", "source": "shopify"}}
write("EventFunction", "event-ingested.json", bus("kindling.ingest", "Event Ingested", checkout))
write("SegmentFunction", "score-changed.json", bus("kindling.scoring", "score.changed", {
    "id": "sample:score:1", "shopId": "demo", "contactId": checkout["contactId"], "at": "2026-11-20T15:15:01Z",
    "scores": {"intent": {"before": 0, "after": 15, "delta": 15}}, "event": "Checkout Started"}))
write("ReportFunction", "stage-changed.json", bus("kindling.scoring", "stage.changed", {
    "id": checkout["contactId"] + ":stage:2", "shopId": "demo", "contactId": checkout["contactId"], "at": "2026-11-20T15:15:01Z",
    "from": "consideration", "to": "intent", "rule": "intending",
    "path": [{"from": "consideration", "to": "intent", "at": "2026-11-20T15:15:01Z", "rule": "intending"}],
    "event": "Checkout Started", "messageId": "sample-checkout"}))
write("SegmentRefreshFunction", "schedule.json", {"refresh": "time-based"})
write("SegmentRefreshFunction", "settings-changed.json", bus("kindling.admin", "settings.changed",
      {"shopId": "demo", "saved": "abandoned-checkout"}))

# Email: a send request (journeys invoke SendFunction directly), the email pages, SES events, the catalog.
write("SendFunction", "send-transactional.json", {
    "shopId": "demo", "contactId": "00000000-0000-4000-8000-000000000001", "template": "order-thank-you",
    "kind": "transactional", "idempotencyKey": "sample-order-1001-thank-you",
    "context": {"event": {"order_id": "1001", "products": [{"product_id": "p-1", "name": "Linen shirt", "price": "49.00", "quantity": 1}]}},
    "tags": {"journey": "post-purchase", "step": "thank-you"}})
write("EmailPagesFunction", "subscribe.json", event("POST /email/{shopId}/subscribe", "/email/demo/subscribe", {
    "content-type": "application/json", "user-agent": "sample"},
    json.dumps({"email": "ana@example.com", "first_name": "Ana", "source": "footer form", "topics": ["newsletter"]}),
    {"shopId": "demo"}))
ses_bounce = json.loads((payloads / "ses-bounce.json").read_text())
write("EngagementFunction", "ses-bounce.json", {"version": "0", "id": "f0c1e2d3-a4b5-4c6d-8e7f-901234567890",
    "detail-type": "Email Bounced", "source": "aws.ses", "account": "123456789012", "time": "2017-08-05T00:41:02Z",
    "region": "us-east-1", "resources": ["arn:aws:ses:us-east-1:123456789012:configuration-set/kindling-dev-email"], "detail": ses_bounce})
write("CatalogFunction", "order-completed.json", bus("kindling.ingest", "Event Ingested", {
    "shopId": "demo", "contactId": checkout["contactId"],
    "event": {"messageId": "sample-order", "type": "track", "event": "Order Completed", "email": "jon@example.com",
              "properties": {"order_id": "1001", "total": "68.50", "products": [
                  {"product_id": "p-1", "name": "Linen shirt", "price": "49.00", "quantity": 1, "category": "shirts"},
                  {"product_id": "p-2", "name": "Canvas tote", "price": "19.50", "quantity": 1, "category": "bags"}]},
              "timestamp": "2026-11-20T15:15:01Z", "receivedAt": "2026-11-20T15:15:01Z", "source": "shopify"}}))

# Journeys: a decision the state machines ask for, and an event that starts a journey.
write("JourneyFunction", "check.json", {"action": "check", "shopId": "demo", "contactId": checkout["contactId"],
      "journey": "abandoned-checkout", "since": "2026-11-20T15:15:01Z", "marketing": True})
started = json.loads(json.dumps(checkout))
started["event"]["properties"] = {"checkout_id": "sample", "checkout_token": "sample", "checkout_url": "https://shop.example/checkouts/sample"}
write("JourneyStartFunction", "checkout-started.json", bus("kindling.ingest", "Event Ingested", started))

# what IngestFunction relays for a customers/redact webhook, as PrivacyFunction receives it from the bus
write("PrivacyFunction", "customers-redact.json", {
    "version": "0", "id": "5c0e7c4a-8a4e-4f3a-9f0e-2b7d6c1a9e30", "detail-type": "privacy.requested", "source": "kindling.privacy",
    "account": "123456789012", "time": "2026-11-20T15:15:02Z", "region": "us-east-1", "resources": [],
    "detail": {"shopId": "demo", "topic": "customers/redact", "deliveryId": "e0c6a7b2-31d4-4c8e-9f1a-6b2d8c4e7a19",
               "customerId": "191167", "email": "john@example.com"}})

