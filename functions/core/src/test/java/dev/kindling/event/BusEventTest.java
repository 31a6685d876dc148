package dev.kindling.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PutEvents' limits, as EventBridge documents them: 10 entries a request, less than 256 KB together, sizes in UTF-8 bytes. */
class BusEventTest {
    static BusEvent event(String text) {
        return new BusEvent("kindling.test", "Test", Instant.parse("2026-12-05T10:00:00Z"), Json.object().put("text", text));
    }

    @Test
    void anEntrysSizeIsCountedAsEventBridgeCountsIt() {
        BusEvent e = event("Grüße");
        int detail = "{\"text\":\"Grüße\"}".getBytes(StandardCharsets.UTF_8).length;
        assertThat(e.entryBytes()).isEqualTo(14 + "kindling.test".length() + "Test".length() + detail);
        assertThat(detail).as("ü and ß are two bytes each").isEqualTo("{\"text\":\"Grusse\"}".length() + 1);
    }

    @Test
    void eventsAreSplitIntoRequestsOfAtMostTenAndUnder256Kb() {
        List<BusEvent> small = new ArrayList<>();
        for (int i = 0; i < 23; i++) small.add(event("e" + i));
        assertThat(BusEvent.requests(small)).extracting(List::size).containsExactly(10, 10, 3);

        List<BusEvent> large = new ArrayList<>();
        for (int i = 0; i < 5; i++) large.add(event("x".repeat(100 * 1024)));
        List<List<BusEvent>> requests = BusEvent.requests(large);
        assertThat(requests).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(requests).allSatisfy(r -> assertThat(r.stream().mapToInt(BusEvent::entryBytes).sum()).isLessThan(BusEvent.MAX_ENTRIES_BYTES));
        assertThat(requests.stream().flatMap(List::stream).toList()).as("in order, none lost").isEqualTo(large);
    }

    @Test
    void anEventNoRequestCanCarryIsRefusedBeforeAnythingIsSent() {
        BusEvent tooLarge = event("\u5546".repeat(90 * 1024)); // 90 K characters, 270 KB
        assertThatThrownBy(() -> BusEvent.requests(List.of(event("first"), tooLarge)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EventBridge takes less than 262144");
    }
}
