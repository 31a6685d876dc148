package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local runtime killed with SIGKILL in the middle of a stream of webhooks and started again on the
 * same {@code --data-dir}: every acknowledged event is stored once, every journey it had started
 * finishes, and no email goes out twice. The runtime runs as its own process (the command line's main,
 * at 20,000 times real time, so an abandoned-checkout journey's three days pass in seconds); the test
 * reads the journeys' scheduled turns from the data folder (an abandoned checkout's waits are all
 * schedules, no execution), the table through DynamoDB Local's port, and the emails from the outbox
 * folder.
 */
@SlowSuite
@Order(3)
class KillAndRestartTest {
    static final int CHECKOUTS = TestSize.of(60, 20);
    static final int KILL_AFTER_ACKNOWLEDGED = TestSize.of(25, 8);
    static final String SPEED = "20000";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRuntimeKilledMidStreamStoresEveryAcknowledgedEventOnceAndFinishesEveryJourneyItStarted(@TempDir Path dir) throws Exception {
        int port = EmulatorProcess.freePort();
        int dynamoPort = EmulatorProcess.freePort();
        Path data = dir.resolve("data");
        Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();

        Process first = start(port, dynamoPort, data, dir.resolve("first.log"));
        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int i = 0; i < CHECKOUTS; i++) {
            int n = i;
            senders.submit(() -> {
                if (deliver(port, n)) acknowledged.put(n, true);
            });
        }
        while (acknowledged.size() < KILL_AFTER_ACKNOWLEDGED) Thread.sleep(5);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
        List<String> waitingAtTheKill = scheduledTurns(data);
        first.waitFor();
        senders.shutdown();
        assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        int acknowledgedBeforeTheKill = acknowledged.size();

        Process second = start(port, dynamoPort, data, dir.resolve("second.log"));
        try {
            // the shop redelivers what was not acknowledged, as Shopify retries a webhook that got no 200
            for (int n = 0; n < CHECKOUTS; n++) {
                if (!acknowledged.containsKey(n)) assertThat(deliver(port, n)).as("checkout " + n + " after the restart").isTrue();
            }
            Map<String, Long> byRecipient = awaitRemindersDone(data, Duration.ofSeconds(240));
            Map<String, Integer> storedEvents = storedEvents(dynamoPort);
            Map<String, Long> emails = emailsByMessageId(data.resolve("outbox"));
            System.out.printf("kill and restart: %d checkouts, %d acknowledged before the SIGKILL, %d journeys waiting for a scheduled turn at it; "
                            + "after the restart %d events stored (%d more than once), %d turns still scheduled, %d emails (%d sent twice)%n",
                    CHECKOUTS, acknowledgedBeforeTheKill, waitingAtTheKill.size(), storedEvents.size(),
                    storedEvents.values().stream().filter(c -> c > 1).count(), scheduledTurns(data).size(), emails.size(),
                    emails.values().stream().filter(c -> c > 1).count());

            assertThat(waitingAtTheKill).as("journeys were waiting when the runtime was killed").isNotEmpty();
            assertThat(acknowledgedBeforeTheKill).as("the kill came mid-stream").isLessThan(CHECKOUTS);
            for (int n = 0; n < CHECKOUTS; n++) {
                assertThat(storedEvents.get("shopify-event-kill-" + n)).as("checkout " + n + " stored once").isEqualTo(1);
            }
            assertThat(emails.values()).as("no email twice").allMatch(count -> count == 1);
            // none lost: every checkout's journey sent each of its three reminders, those waiting at the kill included
            for (int n = 0; n < CHECKOUTS; n++) {
                assertThat(byRecipient.get("killed" + n + "@example.com")).as("checkout " + n + "'s reminders").isEqualTo(3L);
            }
            assertThat(scheduledTurns(data)).as("every journey done: no turn left to come").isEmpty();
        } finally {
            second.destroy();
            if (!second.waitFor(30, TimeUnit.SECONDS)) second.destroyForcibly().waitFor(); // never outlives the test
        }
    }

    static final int ORDERS = 12;
    static final int KILL_RUNS = TestSize.of(5, 2);

    /**
     * The kill placed where a crash loses most: the runtime's process halts (as by SIGKILL) after it claimed an email in
     * the message log and before the outbox (SES) got it. Started again on the same folder, the order's journey sends
     * that email again, because the outbox shows it never took it (on AWS: no SES Send event for it) — once, and every
     * other email once. Five runs, each cut at another email.
     */
    @Test
    void aRuntimeKilledBetweenClaimingAnEmailAndSendingItSendsItOnceAfterTheRestart(@TempDir Path dir) throws Exception {
        for (int run = 0; run < KILL_RUNS; run++) {
            int haltAt = 2 + run * 2; // the 2nd, 4th … email the runtime sends
            Path data = dir.resolve("run-" + run);
            int port = EmulatorProcess.freePort();
            int dynamoPort = EmulatorProcess.freePort();
            Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
            Path firstLog = dir.resolve("run-" + run + "-first.log");
            Process first = start(port, dynamoPort, data, firstLog, List.of("-D" + HaltBeforeSend.PROPERTY + "=" + haltAt));
            ExecutorService senders = Executors.newFixedThreadPool(4);
            for (int i = 0; i < ORDERS; i++) {
                int n = i;
                senders.submit(() -> {
                    if (deliverOrder(port, run(n, haltAt))) acknowledged.put(n, true);
                });
            }
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("the runtime halted before its email " + haltAt).isTrue();
            senders.shutdown();
            assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            String halted = Files.readAllLines(firstLog).stream().filter(l -> l.startsWith(HaltBeforeSend.HALTING))
                    .map(l -> l.substring(HaltBeforeSend.HALTING.length()).strip()).findFirst().orElseThrow();

            Process second = start(port, dynamoPort, data, dir.resolve("run-" + run + "-second.log"), List.of());
            try {
                for (int n = 0; n < ORDERS; n++) {
                    if (!acknowledged.containsKey(n)) assertThat(deliverOrder(port, run(n, haltAt))).as("order " + n + " after the restart").isTrue();
                }
                Path outbox = data.resolve("outbox");
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (thankYous(outbox).size() < ORDERS && System.nanoTime() < deadline) Thread.sleep(200);
                Thread.sleep(2000); // a second copy, if one were coming, would come now (over 10 hours of the runtime's time)
                Map<String, Long> emails = emailsByMessageId(outbox);
                Map<String, Long> thankYous = thankYous(outbox);
                Map<String, Long> statuses = messageStatuses(dynamoPort);
                System.out.printf("killed between claim and send (run %d, at email %d, %s): %d acknowledged before the kill; after the restart "
                                + "%d emails (%d twice), %d of %d orders thanked, the cut email sent %d time(s), message log %s%n",
                        run + 1, haltAt, halted, acknowledged.size(), emails.size(), emails.values().stream().filter(c -> c > 1).count(),
                        thankYous.size(), ORDERS, emails.getOrDefault(halted, 0L), statuses);
                assertThat(emails.get(halted)).as("the email cut off by the kill, sent after the restart").isEqualTo(1L);
                assertThat(emails.values()).as("no email twice").allMatch(count -> count == 1);
                assertThat(thankYous).as("every order thanked once").hasSize(ORDERS).allSatisfy((to, count) -> assertThat(count).as(to).isEqualTo(1L));
                assertThat(statuses.keySet()).as("nothing left claimed or given up").doesNotContain("sending", "failed");
            } finally {
                second.destroy();
                if (!second.waitFor(30, TimeUnit.SECONDS)) second.destroyForcibly().waitFor();
            }
        }
    }

    /** Order n of a run: its own customer, so each run's orders are new people. */
    static String run(int n, int haltAt) {
        return haltAt + "-" + n;
    }

    /** Delivers order {@code id} as Shopify does (the same webhook and event ids on every redelivery); true when acknowledged. */
    boolean deliverOrder(int port, String id) {
        try {
            String body = Files.readString(Path.of("../../events/payloads/shopify-orders-create.json"))
                    .replace("jon@example.com", "order-" + id + "@example.com").replace("115310627314723954", "7" + id.replace("-", "0"))
                    .replace("820982911946154508", "8" + id.replace("-", "0"));
            return deliver(port, "orders/create", "order-delivery-" + id, "order-" + id, body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One webhook as Shopify delivers it; true when acknowledged, false when the runtime died under it. */
    boolean deliver(int port, String topic, String webhookId, String eventId, byte[] body) {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/demo"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("X-Shopify-Topic", topic)
                    .header("X-Shopify-Webhook-Id", webhookId).header("X-Shopify-Event-Id", eventId)
                    .header("X-Shopify-Hmac-Sha256", Signatures.hmacSha256Base64("demo-shopify-secret", body))
                    .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException | InterruptedException cutOff) {
            return false; // the runtime died under the request: not acknowledged
        }
    }

    /** The outbox's emails by recipient. */
    static Map<String, Long> emailsByRecipient(Path outbox) throws IOException {
        return byRecipient(outbox, headers -> true);
    }

    /** The outbox's order thank-yous by recipient. */
    static Map<String, Long> thankYous(Path outbox) throws IOException {
        return byRecipient(outbox, headers -> headers.stream().anyMatch(l -> l.startsWith("X-SES-Message-Tags:") && l.contains("template=order-thank-you")));
    }

    /** The outbox's .eml files whose headers pass {@code which}, counted by their To. */
    static Map<String, Long> byRecipient(Path outbox, java.util.function.Predicate<List<String>> which) throws IOException {
        Map<String, Long> byRecipient = new HashMap<>();
        try (var files = Files.list(outbox)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".eml")).toList()) {
                List<String> headers;
                try (var lines = Files.lines(f, StandardCharsets.ISO_8859_1)) {
                    headers = lines.takeWhile(l -> !l.isEmpty()).toList();
                }
                if (!which.test(headers)) continue;
                headers.stream().filter(l -> l.startsWith("To: ")).findFirst().ifPresent(to -> byRecipient.merge(to.substring(4).strip(), 1L, Long::sum));
            }
        }
        return byRecipient;
    }

    /** How many messages of the log are in each status. */
    static Map<String, Long> messageStatuses(int dynamoPort) {
        Map<String, Long> statuses = new TreeMap<>();
        scanTable(dynamoPort, item -> {
            if (item.get("sk").s().startsWith("MSG#") && item.containsKey("status")) statuses.merge(item.get("status").s(), 1L, Long::sum);
        });
        return statuses;
    }

    Process start(int port, int dynamoPort, Path data, Path log) throws Exception {
        return start(port, dynamoPort, data, log, List.of());
    }

    Process start(int port, int dynamoPort, Path data, Path log, List<String> properties) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                LocalRuntime.class.getName(), "--port", Integer.toString(port), "--dynamodb-port", Integer.toString(dynamoPort),
                "--data-dir", data.toString(), "--speed", SPEED));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        builder.environment().remove("AWS_ENDPOINT_URL_DYNAMODB");
        Process process = builder.start();
        try {
            EmulatorProcess.awaitReady(process, "http://127.0.0.1:" + port + "/health", "the local runtime", Duration.ofSeconds(90));
        } catch (IllegalStateException failed) {
            throw new IllegalStateException(failed.getMessage() + ":\n" + Files.readString(log), failed);
        }
        return process;
    }

    /** Delivers checkout n as Shopify does (its webhook and event ids stay the same on every redelivery); true when acknowledged. */
    boolean deliver(int port, int n) {
        ObjectNode checkout;
        try {
            checkout = AudienceEndToEndTest.checkout("killed" + n + "@example.com", "kill-cust-" + n, token(n), Instant.now());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ((ObjectNode) checkout.get("customer")).putObject("email_marketing_consent").put("state", "subscribed")
                .put("opt_in_level", "single_opt_in").put("consent_updated_at", "2026-11-01T10:00:00Z");
        return deliver(port, "checkouts/create", "kill-delivery-" + n, "kill-" + n, Json.write(checkout).getBytes(StandardCharsets.UTF_8));
    }

    static String token(int n) {
        return "kill-token-" + n;
    }

    /** The entries waiting for a scheduled turn (one-time schedules on AWS), as the runtime keeps them in its data folder. */
    static List<String> scheduledTurns(Path data) throws IOException {
        Path folder = data.resolve("executions");
        if (!Files.exists(folder)) return List.of();
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".start")).sorted().toList();
        }
    }

    /** Waits until every checkout's journey has sent its three reminders and no turn is left to come; returns the emails by recipient. */
    static Map<String, Long> awaitRemindersDone(Path data, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Map<String, Long> byRecipient = emailsByRecipient(data.resolve("outbox"));
            boolean done = IntStream.range(0, CHECKOUTS).allMatch(n -> byRecipient.getOrDefault("killed" + n + "@example.com", 0L) >= 3)
                    && scheduledTurns(data).isEmpty();
            if (done || System.nanoTime() > deadline) return byRecipient;
            Thread.sleep(250);
        }
    }

    /** The stored events of this test's checkouts, by message id: how many items each has. */
    static Map<String, Integer> storedEvents(int dynamoPort) {
        Map<String, Integer> events = new HashMap<>();
        scanTable(dynamoPort, item -> {
            if (!item.get("sk").s().startsWith("E#") || !item.containsKey("event")) return;
            String messageId = Json.read(item.get("event").s(), JsonNode.class).path("messageId").asText();
            if (messageId.startsWith("shopify-event-kill-")) events.merge(messageId, 1, Integer::sum);
        });
        return events;
    }

    /** Every item of the runtime's table, read through DynamoDB Local's port. */
    static void scanTable(int dynamoPort, java.util.function.Consumer<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> each) {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            dynamo.scanPaginator(b -> b.tableName(LocalRuntime.TABLE)).items().forEach(each);
        }
    }

    /** The outbox's emails by Kindling's message id (the file name is local-{sequence}-{message id}.eml). */
    static Map<String, Long> emailsByMessageId(Path outbox) throws IOException {
        try (var files = Files.list(outbox)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".eml"))
                    .map(name -> name.substring(name.indexOf('-', "local-".length()) + 1, name.length() - ".eml".length()))
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        }
    }
}
