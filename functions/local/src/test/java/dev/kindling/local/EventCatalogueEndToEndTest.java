package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The names the builders offer are the shop's own: events it sent, with their properties, and its profile fields,
 * written with the reports' next flush (a minute or a hundred events later) and answered by GET /admin/events.
 */
class EventCatalogueEndToEndTest extends WithSettableRuntime {
    EventCatalogueEndToEndTest() {
        super(Instant.parse("2026-12-02T12:00:00Z"));
    }

    @Test
    void theShopsEventNamesPropertiesAndFieldsAreOfferedOnceTheReportsHaveFlushed() throws Exception {
        client.server("identify", Json.read("""
                {"userId": "u-1", "messageId": "cat-1", "traits": {"email": "cat@example.com", "loyalty_tier": "gold"}}""", ObjectNode.class));
        client.server("track", Json.read("""
                {"userId": "u-1", "messageId": "cat-2", "event": "Quote Requested", "properties": {"plan": "pro", "seats": 12}}""", ObjectNode.class));
        // a name that is also one of the store's own attribute names, and one too long to keep
        client.server("track", Json.read("""
                {"userId": "u-1", "messageId": "cat-3", "event": "pk", "properties": {"sk": 1, "%s": 2}}""".formatted("p".repeat(65)), ObjectNode.class));
        client.settle();
        assertThat(client.adminJson("/admin/events").path("events")).as("nothing is written before the reports flush").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        client.server("track", Json.read("""
                {"userId": "u-1", "messageId": "cat-4", "event": "Quote Requested", "properties": {"plan": "team"}}""", ObjectNode.class));
        client.settle();
        JsonNode names = client.adminJson("/admin/events");
        assertThat(names.path("events").toString()).contains("\"Quote Requested\"").contains("\"pk\"");
        assertThat(names.path("traits").toString()).contains("\"loyalty_tier\"").contains("\"email\"");
        JsonNode quote = client.adminJson("/admin/events?event=Quote%20Requested");
        assertThat(quote.path("properties").toString()).isEqualTo("[\"plan\",\"seats\"]");
        assertThat(client.adminJson("/admin/events?event=pk").path("properties").toString()).isEqualTo("[\"sk\"]");
    }
}
