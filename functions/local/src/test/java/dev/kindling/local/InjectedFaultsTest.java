package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.asl.Execution;
import dev.kindling.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's DynamoDB and SES v2 clients meet a fault in 10% of their requests
 * ({@link FaultInjectingHttpClient}: throttling, 500s, and for DynamoDB timeouts after the write was
 * applied) while a shop sends checkouts, orders and tracking events and three days of abandoned-checkout
 * journeys run. The shop redelivers what gets no 200, as Shopify does and Segment's libraries do. Then,
 * with the faults off: every acknowledged event is stored once, no delivery on the bus was given up,
 * every journey finished or waits as it should, every consenting buyer got each of the journey's three
 * emails, every order its journey and its thank-you, and no email went twice. The SDK clients keep
 * their default retries, as the deployed functions do (the faults meet those first, then our code).
 */
@SlowSuite
@Order(5)
class InjectedFaultsTest {
    static final double FAULT_RATE = 0.10;
    static final int CHECKOUTS = TestSize.of(30, 12);
    static final int ORDERS = TestSize.of(30, 12);
    static final int TRACKED = TestSize.of(40, 16);
    static final int MAX_DELIVERIES = 20;

    @Test
    void tenPercentFaultsInDynamoDbAndSesLoseNoEventAndSendNoEmailTwice(@TempDir Path dir) throws Exception {
        FaultInjectingHttpClient faults = new FaultInjectingHttpClient(FAULT_RATE, 5);
        SettableClock clock = new SettableClock(DaytimeClock.noonToday());
        try (SesEmulator ses = new SesEmulator();
             LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock, ses.endpoint, 0).withAwsHttp(faults))) {
            String base = "http://127.0.0.1:" + runtime.port();
            List<String[]> deliveries = new ArrayList<>();
            for (int n = 0; n < CHECKOUTS; n++) deliveries.add(new String[] {"checkout", Integer.toString(n)});
            for (int n = 0; n < ORDERS; n++) deliveries.add(new String[] {"order", Integer.toString(n)});
            for (int n = 0; n < TRACKED; n++) deliveries.add(new String[] {"track", Integer.toString(n)});
            Collections.shuffle(deliveries, new Random(9));

            AtomicInteger refused = new AtomicInteger();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            ExecutorService shop = Executors.newFixedThreadPool(4);
            List<Future<Boolean>> acknowledged = new ArrayList<>();
            for (String[] d : deliveries) {
                acknowledged.add(shop.submit(() -> {
                    for (int attempt = 0; attempt < MAX_DELIVERIES; attempt++) {
                        HttpResponse<String> answer = deliver(base, d[0], Integer.parseInt(d[1]), clock);
                        statuses.merge(answer.statusCode(), 1, Integer::sum);
                        if (answer.statusCode() == 200) return true;
                        refused.incrementAndGet();
                    }
                    return false;
                }));
            }
            for (Future<Boolean> a : acknowledged) assertThat(a.get()).as("acknowledged within " + MAX_DELIVERIES + " deliveries").isTrue();
            shop.shutdown();
            settle(runtime);
            for (int hour = 0; hour < 80; hour++) { // three days and some of the journeys' waits
                clock.advance(Duration.ofHours(1));
                runtime.journeys().runDue();
                settle(runtime);
            }

            faults.off();
            Map<String, Integer> stored = storedEvents(runtime);
            Map<Execution.Status, Long> journeys = runtime.journeys().executions().stream()
                    .collect(Collectors.groupingBy(Execution::status, TreeMap::new, Collectors.counting()));
            Map<String, Integer> emails = new HashMap<>();
            for (JsonNode e : ses.store()) emails.merge(e.path("destination").path("to").path(0).asText() + " | " + e.path("subject").asText(), 1, Integer::sum);
            long abandonedEmails = emails.keySet().stream().filter(k -> k.startsWith("faulty")).count();
            System.out.printf("injected faults: %d DynamoDB and %d SES requests, faults %s; the shop's %d deliveries answered %s, %d redelivered; "
                            + "%d events stored (%d twice), %d bus deliveries given up, journeys %s, %d emails (%d twice), %d of %d abandoned-checkout emails%n",
                    faults.dynamoRequests(), faults.sesRequests(), faults.injected(), deliveries.size(), new TreeMap<>(statuses), refused.get(),
                    stored.size(), stored.values().stream().filter(c -> c > 1).count(), runtime.bus().deadLetters(), journeys,
                    emails.size(), emails.values().stream().filter(c -> c > 1).count(), abandonedEmails, CHECKOUTS * 3);

            assertThat(faults.injected()).as("every kind of fault happened").hasSize(FaultInjectingHttpClient.Fault.values().length);
            assertThat(stored).as("every acknowledged event stored").hasSize(deliveries.size());
            assertThat(stored.values()).as("each once").allMatch(count -> count == 1);
            assertThat(runtime.bus().deadLetters()).as("bus deliveries given up").isZero();
            assertThat(runtime.journeys().executions()).as("no journey failed or stuck")
                    .allSatisfy(e -> assertThat(e.status()).as(e.name + ": " + e.error() + " " + e.cause()).isIn(Execution.Status.SUCCEEDED, Execution.Status.WAITING));
            assertThat(runtime.journeys().turnsGivenUp()).as("no scheduled turn given up").isZero();
            for (int n = 0; n < CHECKOUTS; n++) {
                // an abandoned checkout's waits are all schedules: its last scheduled turn says how it ended
                String name = JourneyStarter.executionName("demo", "abandoned-checkout", "faulty-token-" + n);
                assertThat(runtime.journeys().lastScheduledTurn(name)).as("checkout " + n).isNotNull();
                assertThat(runtime.journeys().lastScheduledTurn(name).path("ended").asText()).as("checkout " + n).isEqualTo("completed");
            }
            for (int n = 0; n < ORDERS; n++) {
                assertThat(runtime.journeys().execution(JourneyStarter.executionName("demo", "post-purchase", Integer.toString(770_000 + n))))
                        .as("order " + n + " started its post-purchase journey").isNotNull();
            }
            assertThat(emails.keySet().stream().filter(k -> k.startsWith("buyer"))).as("each buyer's thank-you").hasSize(ORDERS);
            assertThat(emails.values()).as("no email twice").allMatch(count -> count == 1);
            assertThat(abandonedEmails).as("each consenting buyer got the journey's three emails").isEqualTo(CHECKOUTS * 3);
        }
    }

    HttpResponse<String> deliver(String base, String kind, int n, SettableClock clock) throws Exception {
        Map<String, List<String>> headers = new HashMap<>();
        ObjectNode body;
        switch (kind) {
            case "checkout" -> {
                body = AudienceEndToEndTest.checkout("faulty" + n + "@example.com", "faulty-cust-" + n, "faulty-token-" + n, clock.instant());
                ((ObjectNode) body.get("customer")).putObject("email_marketing_consent").put("state", "subscribed")
                        .put("opt_in_level", "single_opt_in").put("consent_updated_at", "2026-11-01T10:00:00Z");
                return shopify(base, "checkouts/create", "faulty-checkout-" + n, body);
            }
            case "order" -> {
                body = AudienceEndToEndTest.order("buyer" + n + "@example.com", "buyer-cust-" + n, "buyer-token-" + n, 770_000 + n, clock.instant());
                return shopify(base, "orders/create", "faulty-order-" + n, body);
            }
            default -> {
                body = (ObjectNode) Json.MAPPER.readTree(ReliabilityTest.payload("tracking-track.json"));
                body.put("messageId", "faulty-track-" + n).put("anonymousId", "faulty-anon-" + n).remove("userId");
                headers.put("Authorization", List.of(ReliabilityTest.basic("demo-write-key")));
                return ReliabilityTest.post(base, "/v1/track", headers, ReliabilityTest.bytes(Json.write(body)));
            }
        }
    }

    /** A Shopify delivery; its webhook and event ids stay the same on every redelivery, as Shopify's do. */
    static HttpResponse<String> shopify(String base, String topic, String id, ObjectNode payload) throws Exception {
        String body = Json.write(payload);
        return ReliabilityTest.post(base, "/webhooks/shopify/demo", Map.of("X-Shopify-Topic", List.of(topic), "X-Shopify-Webhook-Id", List.of(id),
                "X-Shopify-Event-Id", List.of(id), "X-Shopify-Hmac-Sha256", List.of(ReliabilityTest.sign("demo-shopify-secret", body))),
                ReliabilityTest.bytes(body));
    }

    static void settle(LocalRuntime runtime) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            assertThat(runtime.bus().awaitQuiet(Duration.ofSeconds(300))).isTrue();
            assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(300))).isTrue();
        }
    }

    /** This test's stored events by message id: how many items each has. */
    static Map<String, Integer> storedEvents(LocalRuntime runtime) {
        Map<String, Integer> events = new HashMap<>();
        runtime.services().table().scan("S#demo#C#", page -> page.forEach(item -> {
            if (!item.get("sk").s().startsWith("E#")) return;
            String messageId = Json.read(item.get("event").s(), JsonNode.class).path("messageId").asText();
            if (messageId.contains("faulty-")) events.merge(messageId, 1, Integer::sum);
        }));
        return events;
    }
}
