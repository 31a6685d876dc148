package dev.kindling.ingest;

import dev.kindling.contact.InMemoryContactStore;
import dev.kindling.event.EventPublisher;
import dev.kindling.json.Json;
import dev.kindling.ratelimit.RateLimits;
import dev.kindling.ratelimit.SignUpLimits;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Router;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The ingest API over an in-memory store, a recording publisher and a fixed clock, plus request builders. */
final class Fixture {
    static final Shop DEMO = new Shop("demo", "Demo", "demo-shopify-secret", "demo-woo-secret", "demo-write-key", "demo-admin-token", "demo-link-secret-0123456789abcdef0123", null, "demo-segment-secret")
            .withServerKey("demo-server-key-0123456789abcdef0123");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    final InMemoryContactStore store = new InMemoryContactStore();
    final List<EventPublisher.PublishedEvent> published = new CopyOnWriteArrayList<>();
    final EventPublisher bus = events -> events.forEach(e -> published.add(Json.MAPPER.convertValue(e.detail(), EventPublisher.PublishedEvent.class)));
    /** Fixed-window counters in memory, one window per key (the clock is fixed). */
    final Map<String, Integer> signUpCounts = new ConcurrentHashMap<>();
    final RateLimits limits = (shopId, key, limit, window, now) -> signUpCounts.merge(shopId + "|" + key, 1, Integer::sum) <= limit;
    final Router router = new Router(new IngestApi(ShopDirectory.of(List.of(DEMO)), new Ingestor(store, bus), new SignUpLimits(limits), CLOCK).routes());

    HttpResponse send(HttpRequest request) {
        return router.handle(request);
    }

    static String payload(String name) {
        try {
            return Files.readString(Path.of("../../events/payloads/" + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpRequest shopify(String topic, String webhookId, String body, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(IngestApi.SHOPIFY_ROUTE, "/webhooks/shopify/demo", Map.of("shopId", "demo"), Map.of(),
                Map.of("x-shopify-topic", topic, "x-shopify-webhook-id", webhookId,
                        "x-shopify-hmac-sha256", Signatures.hmacSha256Base64(secret, bytes)), bytes, "127.0.0.1");
    }

    /** A Shopify delivery with its X-Shopify-Event-Id, as Shopify sends every webhook today. */
    static HttpRequest shopifyEvent(String topic, String webhookId, String eventId, String body) {
        HttpRequest plain = shopify(topic, webhookId, body);
        Map<String, String> headers = new HashMap<>(plain.headers());
        headers.put("x-shopify-event-id", eventId);
        return new HttpRequest(plain.routeKey(), plain.path(), plain.pathParameters(), plain.query(), Map.copyOf(headers), plain.body(), plain.sourceIp());
    }

    static HttpRequest shopify(String topic, String webhookId, String body) {
        return shopify(topic, webhookId, body, DEMO.shopifySecret());
    }

    static HttpRequest woo(String topic, String deliveryId, String body, String secret) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(IngestApi.WOOCOMMERCE_ROUTE, "/webhooks/woocommerce/demo", Map.of("shopId", "demo"), Map.of(),
                Map.of("x-wc-webhook-topic", topic, "x-wc-webhook-delivery-id", deliveryId,
                        "x-wc-webhook-signature", Signatures.hmacSha256Base64(secret, bytes)), bytes, "127.0.0.1");
    }

    static HttpRequest tracking(String type, String body, String writeKey) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        return new HttpRequest(IngestApi.TRACKING_ROUTE, "/v1/" + type, Map.of("type", type), Map.of(),
                Map.of("authorization", basic), body.getBytes(StandardCharsets.UTF_8), "127.0.0.1");
    }

    static HttpRequest tracking(String type, String body) {
        return tracking(type, body, DEMO.writeKey());
    }

    /** A tracking call from the shop's backend, with its secret server key: authority. */
    static HttpRequest server(String type, String body) {
        return tracking(type, body, DEMO.serverKey());
    }
}
