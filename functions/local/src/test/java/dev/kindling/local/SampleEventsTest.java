package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.contact.InMemoryContactStore;
import dev.kindling.json.Json;
import dev.kindling.shop.ShopDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file in events/ is accepted by its function's handler, as `sam local invoke -e` would feed it. */
class SampleEventsTest {

    @Test
    void everySampleEventIsAcceptedByItsHandler() throws IOException {
        SamTemplate template = SamTemplate.fromClasspath();
        InMemoryContactStore store = new InMemoryContactStore();
        List<Object> published = new ArrayList<>();
        var constructors = LocalFunctions.constructors(ShopDirectory.of(List.of(ShopsFile.DEMO)), store, published::add, Clock.systemUTC());
        // Ingest first, so the admin samples find the contacts they ask for.
        List<String> order = List.of("IngestFunction", "AdminFunction");
        int checked = 0;
        for (String function : order) {
            SamTemplate.Function f = template.functions().stream().filter(x -> x.name().equals(function)).findFirst().orElseThrow();
            RequestStreamHandler handler = constructors.get(f.handlerClass()).get();
            List<Path> samples;
            try (Stream<Path> files = Files.list(Path.of("../../events", function))) {
                samples = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path sample : samples) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (InputStream in = Files.newInputStream(sample)) {
                    handler.handleRequest(in, out, new LocalContext(function));
                }
                JsonNode response = Json.MAPPER.readTree(out.toByteArray());
                assertThat(response.get("statusCode").asInt()).as(sample + ": " + response.path("body").asText()).isEqualTo(200);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
        assertThat(store.eventCount()).isEqualTo(5);
        assertThat(published).hasSize(5);
    }
}
