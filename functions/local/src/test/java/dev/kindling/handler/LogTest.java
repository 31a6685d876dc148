package dev.kindling.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The functions' log lines: Powertools' JSON shape, ids as keys of their own, no person's address anywhere, levels honoured. */
class LogTest {

    @AfterEach
    void clearLevel() {
        System.clearProperty(Log.LEVEL_PROPERTY);
    }

    @Test
    void aLineIsOneJsonObjectWithLevelMessageServiceAndTheIdsAndNoAddress() {
        JsonNode outcome = Json.read("{\"sent\": 3, \"lastTo\": \"ann.buyer@example.com\"}", JsonNode.class);
        String line = Log.line(Log.Level.ERROR, "request failed for ann.buyer@example.com", new IllegalStateException("no contact bob+x@shop.co.uk"),
                "shop", "demo", "campaign", "autumn", "outcome", outcome, "attempt", 2);
        assertThat(line).doesNotContain("\n").doesNotContain("ann.buyer@example.com").doesNotContain("bob+x@shop.co.uk");
        JsonNode json = Json.read(line, JsonNode.class);
        assertThat(json.path("level").asText()).isEqualTo("ERROR");
        assertThat(json.path("message").asText()).isEqualTo("request failed for <email>");
        assertThat(json.path("service").asText()).isNotBlank();
        assertThat(json.path("timestamp").asText()).isNotBlank();
        assertThat(json.path("shop").asText()).isEqualTo("demo");
        assertThat(json.path("campaign").asText()).isEqualTo("autumn");
        assertThat(json.path("attempt").asLong()).isEqualTo(2);
        assertThat(json.path("outcome").path("sent").asInt()).isEqualTo(3);
        assertThat(json.path("outcome").path("lastTo").asText()).isEqualTo("<email>");
        assertThat(json.path("error").asText()).isEqualTo("IllegalStateException");
        assertThat(json.path("error_message").asText()).isEqualTo("no contact <email>");
    }

    @Test
    void theLevelSetLeavesOutWhatIsBelowIt() {
        System.setProperty(Log.LEVEL_PROPERTY, "WARN");
        assertThat(Log.enabled(Log.Level.INFO)).as("the refresh's counts, locally without --verbose").isFalse();
        assertThat(Log.enabled(Log.Level.WARN)).isTrue();
        System.setProperty(Log.LEVEL_PROPERTY, "debug");
        assertThat(Log.enabled(Log.Level.DEBUG)).isTrue();
    }
}
