package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.aws.eventbridge.EventBridgePublisher;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bus routes with AWS's event-ruler exactly as rule patterns say, and delivers the EventBridge envelope. */
class LocalBusTest {

    static PublishedEvent event(String name) {
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        return new PublishedEvent("demo", "c-1", new CanonicalEvent("m-" + name, EventType.TRACK, name, null, "a", null, null,
                Json.object(), null, null, null, at, at, Source.SHOPIFY, Map.of()), false);
    }

    @Test
    void onlyMatchingRulesReceiveTheEvent() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        StringBuilder received = new StringBuilder();
        RequestStreamHandler target = (in, out, ctx) -> {
            received.append(new String(in.readAllBytes()));
            delivered.countDown();
        };
        String checkoutsOnly = "{\"source\": [\"kindling.ingest\"], \"detail\": {\"event\": {\"event\": [\"Checkout Started\"]}}}";
        try (LocalBus bus = new LocalBus("kindling-local", Map.of("Abandoned", List.of(checkoutsOnly)), Map.of("Abandoned", target),
                Clock.systemUTC())) {
            assertThat(bus.put(EventBridgePublisher.entry("kindling-local", BusEvent.ingested(event("Order Completed"))))).isEmpty();
            assertThat(bus.put(EventBridgePublisher.entry("kindling-local", BusEvent.ingested(event("Checkout Started")))))
                    .containsExactly("Abandoned");
            assertThat(delivered.await(5, TimeUnit.SECONDS)).isTrue();
        }
        var envelope = Json.MAPPER.readTree(received.toString());
        assertThat(envelope.get("detail-type").asText()).isEqualTo("Event Ingested");
        assertThat(envelope.at("/detail/contactId").asText()).isEqualTo("c-1");
        assertThat(envelope.get("time").asText()).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void anErasureDeletesTheDeadLettersAndTheRecentEventsThatNameThePersonAndKeepsTheRest(@TempDir Path journal) throws Exception {
        RequestStreamHandler broken = (in, out, ctx) -> {
            throw new IllegalStateException("the function is broken"); // every attempt: the deliveries end as dead letters
        };
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        try (LocalBus bus = new LocalBus("kindling-local", Map.of("Catalog", List.of("{\"source\": [\"kindling.ingest\"]}")), Map.of("Catalog", broken),
                Clock.systemUTC(), journal)) {
            for (String contact : List.of("c-erase-me", "c-keep")) {
                bus.put(EventBridgePublisher.entry("kindling-local", BusEvent.ingested(
                        new PublishedEvent("demo", contact, new CanonicalEvent("m-" + contact, EventType.TRACK, "Product Viewed", null, "a", null,
                                null, Json.object(), null, null, null, at, at, Source.SHOPIFY, Map.of()), false))));
            }
            assertThat(bus.awaitQuiet(Duration.ofSeconds(60))).isTrue();
            assertThat(bus.deadLetters()).isEqualTo(2);

            assertThat(bus.purge(List.of("c-erase-me", "erase.me@example.com"))).isEqualTo(1);

            try (var left = Files.list(journal.resolve("dead-letters"))) {
                assertThat(left.map(f -> readString(f))).singleElement().satisfies(kept -> assertThat(kept).contains("c-keep").doesNotContain("c-erase-me"));
            }
            assertThat(bus.recent(100)).hasSize(1).allSatisfy(e -> assertThat(e.toString()).doesNotContain("c-erase-me"));
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFunctionThatFailsIsCalledAgainWithBackoffAsEventBridgeRetriesNotDropped() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RequestStreamHandler flaky = (in, out, ctx) -> {
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("product p-1 kept changing"); // contention, twice
        };
        String all = "{\"source\": [\"kindling.ingest\"]}";
        try (LocalBus bus = new LocalBus("kindling-local", Map.of("Catalog", List.of(all)), Map.of("Catalog", flaky), Clock.systemUTC())) {
            bus.put(EventBridgePublisher.entry("kindling-local", BusEvent.ingested(event("Order Completed"))));
            assertThat(bus.awaitQuiet(Duration.ofSeconds(20))).as("quiet only once the retries are done").isTrue();
        }
        assertThat(calls.get()).isEqualTo(3);
    }
}

