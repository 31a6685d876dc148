package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.contact.Identity;
import dev.kindling.json.Json;
import dev.kindling.local.lambda.Invoke;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/kindling invoke}: a function built as sam build builds it, run from that artifact through
 * the Runtime Interface Client against a running local runtime. What it stores is in the runtime's
 * DynamoDB Local, what it publishes reaches the runtime's functions, and an email it sends is in the outbox.
 */
class InvokeTest {

    @Test
    void aFunctionInvokedFromItsArtifactWorksWithTheRunningRuntime() throws Exception {
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking(), null, 0))) {
            String url = "http://127.0.0.1:" + runtime.port();
            Path sources = DeployedShape.scratch();
            DeployedShape.artifact("IngestFunction"); // the scratch copy's jar is built (and up to date for make)

            byte[] order = Files.readAllBytes(DeployedShape.ROOT.resolve("events/IngestFunction/shopify-orders-create.json"));
            Invoke.Invocation ingest = Invoke.run(url, "IngestFunction", order, sources, sources.resolveSibling("invoke/IngestFunction"));
            assertThat(ingest.result().failed()).as(ingest.result().body() + ingest.log()).isFalse();
            assertThat(Json.MAPPER.readTree(ingest.result().payload()).path("statusCode").asInt()).isEqualTo(200);

            // stored in the runtime's DynamoDB Local; published on its bus, where EventFunction (in the runtime) took it
            String contactId = runtime.services().contacts().lookup("demo", List.of(Identity.email("jon@example.com"))).values().iterator().next();
            assertThat(runtime.bus().awaitQuiet(Duration.ofSeconds(30))).isTrue();
            assertThat(runtime.bus().recent(100)).extracting(e -> e.path("detail-type").asText()).contains("Event Ingested", "stage.changed");

            // SendFunction through SES v2's API to the runtime's outbox
            byte[] send = Files.readString(DeployedShape.ROOT.resolve("events/SendFunction/send-transactional.json"))
                    .replace("00000000-0000-4000-8000-000000000001", contactId).getBytes(StandardCharsets.UTF_8);
            Invoke.Invocation sent = Invoke.run(url, "SendFunction", send, sources, sources.resolveSibling("invoke/SendFunction"));
            JsonNode answer = Json.MAPPER.readTree(sent.result().payload());
            assertThat(answer.path("status").asText()).as(answer + sent.log()).isEqualTo("sent");
            assertThat(runtime.outbox().all()).anySatisfy(email -> assertThat(email.email().to()).isEqualTo("jon@example.com"));
        }
    }
}
