package dev.kindling.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.event.Trust;
import dev.kindling.http.ApiException;
import dev.kindling.http.Cors;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.ratelimit.SignUpLimits;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The ingest endpoints: Shopify and WooCommerce webhooks and the Segment-compatible tracking API.
 * Each request is checked whole before anything is stored — size, credentials, JSON, required
 * fields — so a refused request leaves no trace; then each event is stored once.
 */
public final class IngestApi {
    public static final String SHOPIFY_ROUTE = "POST /webhooks/shopify/{shopId}";
    public static final String WOOCOMMERCE_ROUTE = "POST /webhooks/woocommerce/{shopId}";
    /** Greedy, so Segment's analytics-java {@code /v1/import/} (trailing slash) reaches it too. */
    public static final String TRACKING_ROUTE = "POST /v1/{type+}";
    public static final String TRACKING_PREFLIGHT = "OPTIONS /v1/{type+}";
    public static final String SEGMENT_WEBHOOK_ROUTE = "POST /webhooks/segment/{shopId}";
    /** analytics.js (analytics-next) posts each call to the first letter of its type, batches to /b. */
    private static final Map<String, String> SHORT_PATHS = Map.of("t", "track", "i", "identify", "p", "page", "s", "screen",
            "g", "group", "a", "alias", "b", "batch");
    private static final List<String> CALLS = List.of("identify", "track", "page", "screen", "group", "alias");
    /** Shopify's mandatory privacy (GDPR) webhooks. */
    static final Set<String> PRIVACY_TOPICS = Set.of("customers/data_request", "customers/redact", "shop/redact");

    static final int MAX_WEBHOOK_BYTES = 1024 * 1024;
    static final int MAX_MESSAGE_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;
    /** Bounded work per call: analytics-ruby sends at most 100 messages a batch, the browser and mobile libraries flush at 20-30. */
    static final int MAX_BATCH_MESSAGES = 100;
    private static final Pattern WOO_PING = Pattern.compile("webhook_id=\\d+");

    private final ShopDirectory shops;
    private final Ingestor ingestor;
    private final SignUpLimits signUps;
    private final Clock clock;

    public IngestApi(ShopDirectory shops, Ingestor ingestor, SignUpLimits signUps, Clock clock) {
        this.shops = shops;
        this.ingestor = ingestor;
        this.signUps = signUps;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route(SHOPIFY_ROUTE, this::shopify), new Route(WOOCOMMERCE_ROUTE, this::woocommerce),
                new Route(TRACKING_ROUTE, Cors.allowing(this::tracking)),
                new Route(TRACKING_PREFLIGHT, Cors::preflight),
                new Route(SEGMENT_WEBHOOK_ROUTE, this::segmentWebhook));
    }

    /** How one shop platform signs and labels its webhook deliveries, how its payloads map, and what makes two deliveries one. */
    private record WebhookSource(String name, String signatureHeader, String deliveryHeader, String topicHeader,
                                 Function<Shop, String> secret, WebhookMapper mapper, Occurrence occurrence) {}

    @FunctionalInterface
    private interface WebhookMapper {
        Mapped map(HttpRequest request, String topic, String deliveryId, JsonNode body, Instant receivedAt);
    }

    /** The dedupe id of a delivery: the same occurrence delivered again (under any delivery id) is stored once. */
    @FunctionalInterface
    private interface Occurrence {
        String of(HttpRequest request, String topic, String deliveryId, JsonNode body);
    }

    private static final WebhookSource SHOPIFY = new WebhookSource("shopify", "x-shopify-hmac-sha256",
            "x-shopify-webhook-id", "x-shopify-topic", Shop::shopifySecret,
            (request, topic, id, body, at) -> ShopifyMapper.map(topic, id, request.header("x-shopify-event-id"), body, at),
            (request, topic, id, body) -> ShopifyMapper.occurrence(topic, id, request.header("x-shopify-event-id"), body));
    private static final WebhookSource WOOCOMMERCE = new WebhookSource("woocommerce", "x-wc-webhook-signature",
            "x-wc-webhook-delivery-id", "x-wc-webhook-topic", Shop::wooSecret,
            (request, topic, id, body, at) -> WooCommerceMapper.map(topic, id, request.header("x-wc-webhook-id"), body, at),
            (request, topic, id, body) -> WooCommerceMapper.occurrence(topic, id, body));

    HttpResponse shopify(HttpRequest request) {
        return webhook(SHOPIFY, request);
    }

    HttpResponse woocommerce(HttpRequest request) {
        boolean unsigned = request.header(WOOCOMMERCE.signatureHeader()) == null;
        if (unsigned && request.body().length < 64 && WOO_PING.matcher(request.bodyText().strip()).matches()
                && shops.byId(request.pathParameter("shopId")).isPresent()) {
            return HttpResponse.json(200, Map.of("status", "ping")); // sent unsigned when a webhook is created
        }
        return webhook(WOOCOMMERCE, request);
    }

    /** Size, then signature over the exact bytes, then headers and JSON: a request refused at any step stores nothing. */
    private HttpResponse webhook(WebhookSource source, HttpRequest request) {
        limit(request.body(), MAX_WEBHOOK_BYTES, "webhook body");
        String signature = request.header(source.signatureHeader());
        Shop shop = shops.byId(request.pathParameter("shopId"))
                .filter(s -> Signatures.verifyBase64(source.secret().apply(s), request.body(), signature))
                .orElseThrow(() -> ApiException.unauthorized("unknown shop or " + source.signatureHeader() + " does not match the body"));
        String deliveryId = requireHeader(request, source.deliveryHeader());
        String topic = requireHeader(request, source.topicHeader());
        JsonNode body = parse(request.body());
        if (source == SHOPIFY && PRIVACY_TOPICS.contains(topic)) return privacyRequest(shop, topic, deliveryId, body);
        Mapped mapped = mapping("", () -> source.mapper().map(request, topic, deliveryId, body, clock.instant()));
        return store(shop, source.name() + ":" + bounded(source.occurrence().of(request, topic, deliveryId, body)), mapped);
    }

    /**
     * The tracking call's type from its path: {@code /v1/track}, analytics.js's {@code /v1/t}, and with
     * a trailing slash ({@code /v1/import/}) as some libraries send it.
     */
    static String trackingType(String pathParameter) {
        String type = pathParameter == null ? "" : pathParameter.replaceAll("/+$", "");
        return SHORT_PATHS.getOrDefault(type, type);
    }

    /**
     * Shopify's mandatory privacy webhooks, signed like every webhook: answered at once and passed to the
     * privacy function over the bus (which exports or erases; the ingest function may delete nothing).
     */
    private HttpResponse privacyRequest(Shop shop, String topic, String deliveryId, JsonNode body) {
        ObjectNode detail = Json.object().put("shopId", shop.id()).put("topic", topic)
                .put("deliveryId", deliveryId);
        JsonNode customer = body.path("customer");
        if (customer.isObject()) {
            if (Json.text(customer, "id") != null) detail.put("customerId", Json.text(customer, "id"));
            if (Json.text(customer, "email") != null) detail.put("email", Json.text(customer, "email"));
        }
        if (Json.text(body.path("data_request"), "id") != null) detail.put("requestId", Json.text(body.path("data_request"), "id"));
        boolean first = ingestor.relay(shop.id(), "shopify:" + deliveryId,
                BusEvent.privacyRequested(clock.instant(), detail));
        return HttpResponse.json(200, Map.of("status", first ? "accepted" : "duplicate", "topic", topic));
    }

    HttpResponse tracking(HttpRequest request) {
        String type = trackingType(request.pathParameter("type"));
        boolean batch = "batch".equals(type) || "import".equals(type);
        if (!batch && !CALLS.contains(type)) throw ApiException.notFound("no tracking call /v1/" + request.pathParameter("type"));
        byte[] bytes = request.decodedBody(batch ? MAX_BATCH_BYTES : MAX_MESSAGE_BYTES, batch ? "batch" : "message");
        JsonNode body = parse(bytes);
        ShopDirectory.TrackingAccess access = shops.byTrackingKey(writeKey(request, body))
                .orElseThrow(() -> ApiException.unauthorized("unknown write key (send it as the HTTP Basic user name, or as writeKey in the body)"));
        Shop shop = access.shop();
        TrackingMapper mapper = new TrackingMapper(access.trust(), shop.serverKey());
        Instant receivedAt = clock.instant();
        List<CanonicalEvent> events = new ArrayList<>();
        List<Instant> stated = new ArrayList<>(); // each call's own time, beside its event
        if (batch) {
            JsonNode messages = body.get("batch");
            if (messages == null || !messages.isArray()) throw ApiException.badRequest("batch must be an array of messages");
            if (messages.size() > MAX_BATCH_MESSAGES) {
                throw ApiException.tooLarge("batch has " + messages.size() + " messages; at most " + MAX_BATCH_MESSAGES + " are accepted in one call");
            }
            String sentAt = Json.text(body, "sentAt");
            for (int i = 0; i < messages.size(); i++) {
                JsonNode message = messages.get(i);
                int size = message.toString().getBytes(StandardCharsets.UTF_8).length;
                if (size > MAX_MESSAGE_BYTES) throw ApiException.tooLarge("batch[" + i + "] is " + size + " bytes; a message may be " + MAX_MESSAGE_BYTES);
                String where = "batch[" + i + "]: ";
                events.add(mapping(where, () -> mapper.map(null, message, sentAt, receivedAt)));
                stated.add(TrackingMapper.statedTime(message));
            }
        } else {
            events.add(mapping("", () -> mapper.map(type, body, null, receivedAt)));
            stated.add(TrackingMapper.statedTime(body));
        }
        events.forEach(event -> limitStored(shop, event));
        // an identify saying "subscribed" starts a double opt-in: the same limits as the public form, per caller
        // address for the browser's key, per address for both
        for (CanonicalEvent event : events) {
            if (asksToSubscribe(event)) signUps.check(shop, access.trust().isClaim() ? request.sourceIp() : null, event.email(), receivedAt);
        }
        ConsentChange optOut = globalPrivacyControl(request, type, receivedAt);
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent event = events.get(i);
            if (optOut != null && event.consent(optOut.purpose()) == null) event = event.withConsent(optOut);
            ingestor.ingest(shop.id(), "tracking:" + event.messageId(), event, stated.get(i));
        }
        return HttpResponse.json(200, Map.of("success", true));
    }

    private static boolean asksToSubscribe(CanonicalEvent event) {
        ConsentChange email = event.consent(ConsentChange.EMAIL_MARKETING);
        return event.email() != null && email != null && email.state() == ConsentChange.State.pending;
    }

    /**
     * The browser's Global Privacy Control signal ({@code Sec-GPC: 1}, sent by the browser itself on every request
     * when its user turned it on), which California's regulations make a valid "do not sell or share" request: the
     * call's person opts out of the sale and sharing of their data. Only ever an opt-out, so the public write key
     * cannot opt anyone in; the ledger records it once, when it changes the person's state.
     */
    private static ConsentChange globalPrivacyControl(HttpRequest request, String type, Instant receivedAt) {
        if (!"1".equals(request.header("sec-gpc"))) return null;
        return new ConsentChange(ConsentChange.SALE_AND_SHARING, ConsentChange.State.withdrawn, null, receivedAt,
                "Global Privacy Control (Sec-GPC: 1) on tracking call /v1/" + type);
    }

    /**
     * Segment's Webhooks destination: one message per POST, signed with the shop's
     * {@code segmentSecret} as Segment documents it ({@code X-Signature}: hex HMAC-SHA1 of the body).
     * Deduplicated on the message id like any tracking call, so a message that also came straight from
     * a library is stored once.
     */
    HttpResponse segmentWebhook(HttpRequest request) {
        limit(request.body(), MAX_MESSAGE_BYTES, "message");
        Shop shop = shops.byId(request.pathParameter("shopId"))
                .filter(s -> Signatures.verifyHexSha1(s.segmentSecret(), request.body(), request.header("x-signature")))
                .orElseThrow(() -> ApiException.unauthorized("unknown shop or X-Signature does not match the body"));
        JsonNode body = parse(request.body());
        String type = Json.text(body, "type");
        if (type == null || !CALLS.contains(type)) throw ApiException.badRequest("type must be one of " + CALLS);
        // Segment relays what browsers sent it with the public key: claims, whatever signs the relay
        CanonicalEvent event = mapping("", () -> new TrackingMapper(Trust.CLAIM, shop.serverKey()).map(type, body, null, clock.instant()));
        limitStored(shop, event);
        if (asksToSubscribe(event)) signUps.check(shop, null, event.email(), event.receivedAt());
        Ingestor.Outcome outcome = ingestor.ingest(shop.id(), "tracking:" + event.messageId(), event, TrackingMapper.statedTime(body));
        return HttpResponse.json(200, Map.of("status", outcome instanceof Ingestor.Outcome.Accepted ? "accepted" : "duplicate",
                "messageId", event.messageId()));
    }

    private HttpResponse store(Shop shop, String deliveryKey, Mapped mapped) {
        return switch (mapped) {
            case Mapped.Ignored ignored -> {
                boolean first = ingestor.recordIgnored(shop.id(), deliveryKey, ignored.reason());
                yield HttpResponse.json(200, Map.of("status", first ? "ignored" : "duplicate", "reason", ignored.reason()));
            }
            case Mapped.Event(CanonicalEvent event) -> {
                limitStored(shop, event);
                Ingestor.Outcome outcome = ingestor.ingest(shop.id(), deliveryKey, event);
                String status = outcome instanceof Ingestor.Outcome.Accepted ? "accepted" : "duplicate";
                yield HttpResponse.json(200, Map.of("status", status, "messageId", event.messageId()));
            }
        };
    }

    /** A dedupe id fits a key: one built from unusually long parts (an id, a timestamp) is kept as its hash. */
    static String bounded(String occurrence) {
        return occurrence.length() <= 200 ? occurrence : "sha256-" + Signatures.sha256Hex(occurrence);
    }

    /** Segment's convention: the write key is the Basic user name; analytics.js may send it in the body instead. */
    private static String writeKey(HttpRequest request, JsonNode body) {
        String authorization = request.header("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
        return Json.text(body, "writeKey");
    }

    private static void limit(byte[] body, int max, String what) {
        if (body.length > max) throw ApiException.tooLarge(what + " is " + body.length + " bytes; at most " + max + " are accepted");
    }

    /**
     * An event is stored and then published on the bus in one piece: one EventBridge cannot carry (its entry, counted
     * in UTF-8 bytes as EventBridge counts it, at 256 KB or more) would be stored and then fail PutEvents on every
     * retry. Refused here, before anything is written; the stored item (the same JSON and its keys) then stays far
     * under DynamoDB's 400 KB.
     */
    private static void limitStored(Shop shop, CanonicalEvent event) {
        String problem = busSizeProblem(shop.id(), event);
        if (problem != null) throw ApiException.tooLarge(problem);
    }

    /** Why the event cannot go on the bus (its size as EventBridge counts it), or null when it can: checked before it is stored. */
    public static String busSizeProblem(String shopId, CanonicalEvent event) {
        int size = BusEvent.ingested(new PublishedEvent(shopId, UNRESOLVED_CONTACT, event, false)).entryBytes();
        return size < BusEvent.MAX_ENTRIES_BYTES ? null : "the event is " + size
                + " bytes as it goes on the event bus; EventBridge takes an event of less than " + BusEvent.MAX_ENTRIES_BYTES + " bytes (256 KB)";
    }

    /** Who the event is for is decided later; a contact id is this long. */
    private static final String UNRESOLVED_CONTACT = "00000000-0000-0000-0000-000000000000";

    private static String requireHeader(HttpRequest request, String name) {
        String value = request.header(name);
        if (value == null || value.isBlank()) throw ApiException.badRequest("header " + name + " is required");
        return value.strip();
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) throw ApiException.badRequest("body is empty; a JSON object is expected");
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) throw ApiException.badRequest("body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("body could not be read: " + e.getMessage());
        }
    }

    private static <T> T mapping(String where, Supplier<T> mapper) {
        try {
            return mapper.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + e.getMessage());
        }
    }
}
