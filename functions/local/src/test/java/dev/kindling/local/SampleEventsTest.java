package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.contact.Identity;
import dev.kindling.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in events/ is accepted by its function's handler, as `sam local invoke -e` would feed it. */
class SampleEventsTest {

    @Test
    void everySampleEventIsAcceptedByItsHandler() throws Exception {
        int checked = 0;
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()))) {
            // Ingest first, so the admin samples find the contacts they ask for.
            for (String function : List.of("IngestFunction", "AdminFunction", "EventFunction", "SegmentFunction",
                    "SegmentRefreshFunction", "CatalogFunction", "SendFunction", "EmailPagesFunction", "EngagementFunction",
                    "JourneyFunction", "JourneyStartFunction", "PrivacyFunction", "CampaignFunction", "ReportFunction")) {
                for (Path sample : samples(function)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    try (InputStream in = Files.newInputStream(sample)) {
                        runtime.function(function).handleRequest(in, out, new LocalContext(function));
                    }
                    JsonNode response = Json.MAPPER.readTree(out.toByteArray());
                    if (response.has("statusCode")) {
                        assertThat(response.get("statusCode").asInt()).as(sample + ": " + response.path("body").asText()).isBetween(200, 202);
                    }
                    checked++;
                }
            }
            assertThat(runtime.services().contacts().lookup("demo", List.of(Identity.email("jon@example.com"))))
                    .hasSize(1);
        }
        assertThat(checked).isGreaterThanOrEqualTo(17);
    }

    private static List<Path> samples(String function) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../../events", function))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
