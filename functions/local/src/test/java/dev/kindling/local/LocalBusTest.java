package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
            assertThat(bus.put(dev.kindling.aws.eventbridge.EventBridgePublisher.entry("kindling-local", dev.kindling.event.BusEvent.ingested(event("Order Completed"))))).isEmpty();
            assertThat(bus.put(dev.kindling.aws.eventbridge.EventBridgePublisher.entry("kindling-local", dev.kindling.event.BusEvent.ingested(event("Checkout Started")))))
                    .containsExactly("Abandoned");
            assertThat(delivered.await(5, TimeUnit.SECONDS)).isTrue();
        }
        var envelope = Json.MAPPER.readTree(received.toString());
        assertThat(envelope.get("detail-type").asText()).isEqualTo("Event Ingested");
        assertThat(envelope.at("/detail/contactId").asText()).isEqualTo("c-1");
        assertThat(envelope.get("time").asText()).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void aFunctionThatFailsIsCalledAgainWithBackoffAsEventBridgeRetriesNotDropped() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        RequestStreamHandler flaky = (in, out, ctx) -> {
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("product p-1 kept changing"); // contention, twice
        };
        String all = "{\"source\": [\"kindling.ingest\"]}";
        try (LocalBus bus = new LocalBus("kindling-local", Map.of("Catalog", List.of(all)), Map.of("Catalog", flaky), Clock.systemUTC())) {
            bus.put(dev.kindling.aws.eventbridge.EventBridgePublisher.entry("kindling-local", dev.kindling.event.BusEvent.ingested(event("Order Completed"))));
            assertThat(bus.awaitQuiet(java.time.Duration.ofSeconds(20))).as("quiet only once the retries are done").isTrue();
        }
        assertThat(calls.get()).isEqualTo(3);
    }
}

