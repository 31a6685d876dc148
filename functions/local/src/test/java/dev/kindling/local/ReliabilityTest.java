package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The bounded reliability suite, against the local runtime over HTTP: signed fuzzed payloads built from the
 * sample events (no 5xx, no bus delivery given up, no half-written contact), and every webhook delivered three
 * times at once, also under other delivery ids (no duplicate event, no duplicate email). The forgery matrix is
 * {@link ForgeryMatrixTest}, on a runtime of its own, so it counts a table the fuzzing did not fill. Seeds are
 * fixed, so a failure replays; the figures are printed for docs/benchmarks.md.
 */
@SlowSuite
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityTest {
    static final int FUZZED = Integer.getInteger("kindling.reliability.fuzz", TestSize.of(10_000, 300));
    static LocalRuntime runtime;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static String base;

    @BeforeAll
    static void start() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()));
        base = "http://127.0.0.1:" + runtime.port();
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static String payload(String name) throws Exception {
        return Files.readString(Path.of("../../events/payloads", name));
    }

    static HttpResponse<String> post(String path, Map<String, List<String>> headers, byte[] body) throws Exception {
        return post(base, path, headers, body);
    }

    static HttpResponse<String> post(String base, String path, Map<String, List<String>> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .POST(BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
        headers.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        return http.send(request.build(), BodyHandlers.ofString());
    }

    @Test
    @Order(2)
    void signedFuzzedPayloadsNeverGetA5xxOrLeaveAHalfWrittenContact() throws Exception {
        Random random = new Random(11);
        List<String> sources = List.of("shopify-orders-create.json", "shopify-checkouts-create.json", "woocommerce-order-created.json",
                "tracking-track.json", "tracking-identify.json");
        Map<String, JsonNode> samples = new HashMap<>();
        for (String s : sources) samples.put(s, Json.MAPPER.readTree(payload(s)));
        AtomicInteger serverErrors = new AtomicInteger();
        Map<Integer, Integer> statuses = Collections.synchronizedMap(new HashMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < FUZZED; i++) {
            String source = sources.get(random.nextInt(sources.size()));
            JsonNode mutated = Fuzz.mutate(samples.get(source).deepCopy(), random, i);
            String body = random.nextInt(20) == 0 ? Fuzz.withDuplicateKey(Json.write(mutated), random) : Json.write(mutated);
            int n = i;
            sent.add(pool.submit(() -> {
                HttpResponse<String> response = sendSigned(source, body, n);
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() >= 500) serverErrors.incrementAndGet();
                return null;
            }));
        }
        for (Future<?> f : sent) f.get();
        pool.shutdown();
        settle(runtime);
        System.out.printf("fuzzing: %d signed payloads, statuses %s, %d 5xx, %d bus deliveries given up%n", FUZZED, new TreeMap<>(statuses),
                serverErrors.get(), runtime.bus().deadLetters());
        assertThat(serverErrors.get()).isZero();
        // what was accepted is processed: no function failed on it for good (an order total of 1e308 once broke the report's sums)
        assertThat(runtime.bus().deadLetters()).isZero();
        assertNoHalfWrittenContact();
    }

    // first: it counts every email in the outbox, so none of the fuzzed ones may be there yet
    @Test
    @Order(1)
    void everyWebhookDeliveredThreeTimesAtOnceAlsoUnderOtherIdsIsStoredOnceAndMailsOnce() throws Exception {
        List<String[]> deliveries = new ArrayList<>();
        String order = payload("shopify-orders-create.json").replace("jon@example.com", "thrice@example.com").replace("820982911946154508", "820982911946159999");
        String checkout = payload("shopify-checkouts-create.json").replace("981820079255243537", "981820079255249999")
                .replace("123123123", "thrice-token");
        String woo = payload("woocommerce-order-created.json").replace("\"id\": 727", "\"id\": 99727");
        for (int copy = 0; copy < 3; copy++) {
            // the same delivery three times, and the same event under three more delivery ids
            deliveries.add(new String[] {"shopify", "orders/create", order, "same-order", "evt-order"});
            deliveries.add(new String[] {"shopify", "orders/create", order, "order-" + copy, "evt-order"});
            deliveries.add(new String[] {"shopify", "checkouts/create", checkout, "same-checkout", null});
            deliveries.add(new String[] {"shopify", "checkouts/create", checkout, "checkout-" + copy, null});
            deliveries.add(new String[] {"woocommerce", "order.created", woo, "same-woo", null});
            deliveries.add(new String[] {"woocommerce", "order.created", woo, "woo-" + copy, null});
        }
        Collections.shuffle(deliveries, new Random(3));
        ExecutorService pool = Executors.newFixedThreadPool(deliveries.size());
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (String[] d : deliveries) answers.add(pool.submit(() -> deliver(d)));
        for (Future<HttpResponse<String>> a : answers) assertThat(a.get().statusCode()).isEqualTo(200);
        pool.shutdown();
        settle(runtime);

        // events by message id, across the whole table: each occurrence once
        Map<String, Integer> events = new HashMap<>();
        runtime.services().table().scan("S#demo#C#", page -> page.forEach(item -> {
            if (!item.get("sk").s().startsWith("E#")) return;
            String messageId = Json.read(item.get("event").s(), JsonNode.class).path("messageId").asText();
            if (messageId.equals("shopify-event-evt-order") || messageId.contains("981820079255249999") || messageId.contains("99727")) {
                events.merge(messageId, 1, Integer::sum);
            }
        }));
        Map<String, Long> emails = new HashMap<>();
        runtime.outbox().all().forEach(s -> emails.merge(s.email().to() + " " + s.email().tags().get("template") + " " + s.email().subject(), 1L, Long::sum));
        System.out.printf("redelivery: %d deliveries of 3 occurrences, %d events stored, %s emails%n", deliveries.size(), events.size(), emails);
        assertThat(events).hasSize(3).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(emails.values()).allSatisfy(count -> assertThat(count).isEqualTo(1L));
    }

    /**
     * Shopify sends orders/create, orders/paid and customers/update for one person at once: eight senders delivering 25
     * events each for one customer, all at once. Every answer is a 2xx (a write that lost to the others tries again for
     * as long as the request may wait; past that it would be 503 with Retry-After, never 500), and every count is exact.
     */
    @Test
    @Order(3)
    void eightSendersDeliveringTwentyFiveEventsEachForOneCustomerAllGet2xxAndEveryCountIsExact() throws Exception {
        int senders = 8, each = 25;
        String template = payload("shopify-orders-create.json").replace("jon@example.com", "busy@example.com")
                .replace("115310627314723954", "115310627314799999");
        Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    int n = sender * each + i;
                    String order = template.replace("820982911946154508", Long.toString(830000000000000000L + n)).replace("\"403.00\"", "\"10.00\"");
                    // one of three topics in turn: the same order created and paid counts once
                    String topic = i % 3 == 2 ? "orders/paid" : "orders/create";
                    String body = topic.equals("orders/paid") ? template.replace("820982911946154508", Long.toString(830000000000000000L + n - 1))
                            .replace("\"403.00\"", "\"10.00\"") : order;
                    HttpResponse<String> answer = deliver(new String[] {"shopify", topic, body, "busy-" + n, "busy-evt-" + n});
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
        settle(runtime);
        long orders = IntStream.range(0, senders * each).filter(n -> n % each % 3 != 2).count();
        var client = new RuntimeClient(runtime);
        JsonNode contact = client.adminJson("/admin/contacts?email=busy@example.com").path("contact");
        System.out.printf("contention: %d senders x %d events for one customer at once: statuses %s; %s orders, %s spent%n", senders, each,
                statuses, contact.path("commerce").path("orders").asText(), contact.path("commerce").path("totalSpent").asText());
        assertThat(statuses.keySet()).as("every answer a 2xx").allMatch(status -> status / 100 == 2);
        assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(senders * each);
        assertThat(contact.path("commerce").path("orders").asLong()).isEqualTo(orders);
        assertThat(contact.path("commerce").path("totalSpent").decimalValue()).isEqualByComparingTo(java.math.BigDecimal.valueOf(orders * 10));
        // every delivery stored once: the orders and the payments, each an event of its own
        Map<String, Integer> events = new HashMap<>();
        runtime.services().table().scan("S#demo#C#", page -> page.forEach(item -> {
            if (!item.get("sk").s().startsWith("E#")) return;
            String messageId = Json.read(item.get("event").s(), JsonNode.class).path("messageId").asText();
            if (messageId.startsWith("shopify-event-busy-evt-")) events.merge(messageId, 1, Integer::sum);
        }));
        assertThat(events).hasSize(senders * each).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    }

    // --- helpers

    static void settle(LocalRuntime runtime) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            // ten thousand events' scoring, segments, catalog and journeys take minutes on two cores
            assertThat(runtime.bus().awaitQuiet(Duration.ofSeconds(600))).isTrue();
            assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(600))).isTrue();
        }
    }

    static HttpResponse<String> deliver(String[] d) throws Exception {
        Map<String, List<String>> headers = new HashMap<>();
        if (d[0].equals("shopify")) {
            headers.put("X-Shopify-Topic", List.of(d[1]));
            headers.put("X-Shopify-Webhook-Id", List.of(d[3]));
            if (d[4] != null) headers.put("X-Shopify-Event-Id", List.of(d[4]));
            headers.put("X-Shopify-Hmac-Sha256", List.of(sign("demo-shopify-secret", d[2])));
            return post("/webhooks/shopify/demo", headers, bytes(d[2]));
        }
        headers.put("X-WC-Webhook-Topic", List.of(d[1]));
        headers.put("X-WC-Webhook-Delivery-ID", List.of(d[3]));
        headers.put("X-WC-Webhook-Signature", List.of(sign("demo-woo-secret", d[2])));
        return post("/webhooks/woocommerce/demo", headers, bytes(d[2]));
    }

    static HttpResponse<String> sendSigned(String source, String body, int n) throws Exception {
        if (source.startsWith("shopify")) {
            String topic = source.contains("orders") ? "orders/create" : "checkouts/create";
            return post("/webhooks/shopify/demo", Map.of("X-Shopify-Topic", List.of(topic), "X-Shopify-Webhook-Id", List.of("fuzz-" + n),
                    "X-Shopify-Hmac-Sha256", List.of(sign("demo-shopify-secret", body))), bytes(body));
        }
        if (source.startsWith("woocommerce")) {
            return post("/webhooks/woocommerce/demo", Map.of("X-WC-Webhook-Topic", List.of("order.created"), "X-WC-Webhook-Delivery-ID",
                    List.of("fuzz-" + n), "X-WC-Webhook-Signature", List.of(sign("demo-woo-secret", body))), bytes(body));
        }
        String type = source.contains("identify") ? "identify" : "track";
        return post("/v1/" + type, Map.of("Authorization", List.of(basic("demo-write-key"))), bytes(body));
    }

    /** Every stored event and identity belongs to a profile that exists: no half-written contact. */
    static void assertNoHalfWrittenContact() {
        Set<String> profiles = new HashSet<>();
        List<String> eventOwners = new ArrayList<>();
        List<String> identityOwners = new ArrayList<>();
        runtime.services().table().scan("S#demo#", page -> page.forEach(item -> {
            String pk = item.get("pk").s();
            String sk = item.get("sk").s();
            if (pk.startsWith("S#demo#C#") && sk.equals("P")) profiles.add(pk.substring("S#demo#C#".length()));
            if (pk.startsWith("S#demo#C#") && sk.startsWith("E#")) eventOwners.add(pk.substring("S#demo#C#".length()));
            if (pk.startsWith("S#demo#I#")) identityOwners.add(item.get("contactId").s());
        }));
        assertThat(eventOwners).as("events whose profile is missing").allMatch(profiles::contains);
        assertThat(identityOwners).as("identities pointing at no profile").allMatch(profiles::contains);
    }

    static String sign(String secret, String body) {
        return Signatures.hmacSha256Base64(secret, bytes(body));
    }

    static String sha1Hex(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(bytes(body)));
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Mutations of a valid payload: types changed, huge and deep values, unicode, odd numbers, duplicate keys. */
    static final class Fuzz {
        private Fuzz() {}

        static JsonNode mutate(JsonNode root, Random random, int n) {
            // every payload gets fresh ids, so each is its own occurrence
            if (root instanceof ObjectNode o) {
                if (o.has("messageId")) o.put("messageId", "fuzz-" + n);
                if (o.has("id")) o.put("id", 100000 + n);
                if (o.has("token")) o.put("token", "fuzz-token-" + n);
            }
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                List<ObjectNode> parents = new ArrayList<>();
                collect(root, parents);
                ObjectNode parent = parents.get(random.nextInt(parents.size()));
                List<String> fields = new ArrayList<>();
                parent.fieldNames().forEachRemaining(fields::add);
                if (fields.isEmpty()) continue;
                parent.set(fields.get(random.nextInt(fields.size())), value(random));
            }
            return root;
        }

        private static void collect(JsonNode node, List<ObjectNode> out) {
            if (node instanceof ObjectNode o) out.add(o);
            if (node.isContainerNode()) node.forEach(child -> collect(child, out));
        }

        static JsonNode value(Random random) {
            return switch (random.nextInt(14)) {
                case 0 -> Json.MAPPER.getNodeFactory().nullNode();
                case 1 -> Json.MAPPER.getNodeFactory().numberNode(1e308);
                case 2 -> Json.MAPPER.getNodeFactory().numberNode(-1e308);
                case 3 -> Json.MAPPER.getNodeFactory().textNode("NaN");
                case 4 -> Json.MAPPER.getNodeFactory().numberNode(-42.5);
                case 5 -> Json.MAPPER.getNodeFactory().textNode("x".repeat(20_000 + random.nextInt(300_000)));
                case 6 -> deep(50 + random.nextInt(400));
                case 7 -> Json.MAPPER.getNodeFactory().textNode("\u0000\u202e\ud83d\ude00 \u00e9\u4e2d\ufeff<script>");
                case 8 -> Json.MAPPER.getNodeFactory().booleanNode(random.nextBoolean());
                case 9 -> Json.MAPPER.createArrayNode().add(1).add("two").addNull();
                case 10 -> Json.object().put("nested", "object");
                case 11 -> Json.MAPPER.getNodeFactory().numberNode(random.nextLong());
                case 12 -> Json.MAPPER.getNodeFactory().textNode("2026-13-45T99:99:99Z");
                default -> Json.MAPPER.getNodeFactory().textNode("");
            };
        }

        private static JsonNode deep(int depth) {
            ArrayNode root = Json.MAPPER.createArrayNode();
            ArrayNode at = root;
            for (int i = 0; i < depth; i++) at = at.addArray();
            return root;
        }

        /** The JSON text with its first key given twice (parsers differ on which wins; none may fail us). */
        static String withDuplicateKey(String json, Random random) {
            int colon = json.indexOf("\":");
            int start = json.lastIndexOf('"', colon - 1);
            if (start < 1 || json.charAt(0) != '{') return json;
            String key = json.substring(start, colon + 1);
            return "{" + key + ": " + random.nextInt() + "," + json.substring(1);
        }
    }
}
