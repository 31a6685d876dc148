package dev.kindling.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.contact.Identity;
import dev.kindling.contact.InMemoryContactStore;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A batch stored together ({@link Ingestor#ingestAll}) comes out as the same events stored one by one would: one
 * profile per person however many of their rows the batch holds, a delivery stored once (in the batch twice, or stored
 * before), a merge done as alone, every stored event on the bus once.
 */
class IngestAllTest {
    static final Instant AT = Instant.parse("2026-11-01T10:00:00Z");
    final InMemoryContactStore store = new InMemoryContactStore();
    final List<BusEvent> published = new ArrayList<>();
    final Ingestor ingestor = new Ingestor(store, published::addAll);

    static CanonicalEvent event(String id, EventType type, String name, String userId, String anonymousId, String email) {
        return new CanonicalEvent(id, type, name, userId, anonymousId, email, null, Json.object(), email == null ? null : Json.object().put("email", email),
                null, null, AT, AT, Source.SERVER, Map.of());
    }

    static Ingestor.Delivery delivery(CanonicalEvent event) {
        return new Ingestor.Delivery("import:" + event.messageId(), event);
    }

    @Test
    void aBatchStoresEachDeliveryOnceAndEachPersonAsOneProfile() {
        ingestor.ingest("demo", "import:before", event("before", EventType.IDENTIFY, null, "u-9", null, "nine@example.com"));
        published.clear();
        List<Ingestor.Delivery> batch = List.of(
                delivery(event("a1", EventType.IDENTIFY, null, "u-1", null, "one@example.com")),
                delivery(event("a2", EventType.TRACK, "Order Completed", "u-1", null, null)),
                delivery(event("b1", EventType.IDENTIFY, null, "u-2", null, "two@example.com")),
                delivery(event("a2", EventType.TRACK, "Order Completed", "u-1", null, null)), // the same row twice
                new Ingestor.Delivery("import:before", event("before", EventType.IDENTIFY, null, "u-9", null, "nine@example.com")),
                delivery(event("c1", EventType.TRACK, "Product Viewed", null, "anon-7", null)),
                // names the anonymous visitor and user 2: a merge, stored alone, then the rest planned afresh
                delivery(event("m1", EventType.IDENTIFY, null, "u-2", "anon-7", null)),
                delivery(event("b2", EventType.TRACK, "Order Completed", "u-2", null, null)));
        List<Ingestor.Outcome> outcomes = ingestor.ingestAll("demo", batch);

        assertThat(outcomes).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Accepted", "Accepted", "Accepted", "Duplicate", "Duplicate", "Accepted", "Accepted", "Accepted");
        String one = outcomes.get(0).contactId(), two = outcomes.get(2).contactId();
        assertThat(outcomes.get(1).contactId()).isEqualTo(one);
        assertThat(outcomes.get(3).contactId()).isEqualTo(one);
        assertThat(outcomes.get(7).contactId()).isEqualTo(two);
        assertThat(store.lookup("demo", List.of(Identity.user("u-1"), Identity.email("one@example.com"))).values()).containsOnly(one);
        assertThat(store.current("demo", outcomes.get(5).contactId()).orElseThrow().contactId()).as("the visitor merged into user 2").isEqualTo(two);
        assertThat(store.recentEvents("demo", List.of(one), 10)).as("both of user 1's rows applied").hasSize(2);
        Set<String> onTheBus = published.stream().map(e -> e.detail().path("event").path("messageId").asText()).collect(Collectors.toSet());
        assertThat(published).hasSize(7);
        // the delivery stored before is a duplicate, and goes on the bus again
        assertThat(onTheBus).containsExactlyInAnyOrder("a1", "a2", "b1", "before", "c1", "m1", "b2");
        // the same batch again stores nothing, and puts the same events on the bus again (subscribers dedupe them)
        published.clear();
        assertThat(ingestor.ingestAll("demo", batch)).allSatisfy(o -> assertThat(o).isInstanceOf(Ingestor.Outcome.Duplicate.class));
        assertThat(published.stream().map(e -> e.detail().path("event").path("messageId").asText())).containsExactlyInAnyOrderElementsOf(onTheBus);
    }
}
