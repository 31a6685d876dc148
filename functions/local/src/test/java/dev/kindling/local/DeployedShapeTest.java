package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.local.lambda.FunctionProcess;
import dev.kindling.local.lambda.RuntimeApi;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The tier that runs what AWS runs: every function of template.yaml from its {@code sam build}
 * artifact alone, in its own JVM, through AWS's Lambda Runtime Interface Client, with the
 * template's environment, against DynamoDB Local, moto_server and the SES v2 emulator. Every sample
 * in events/ must answer without a function error. A dependency missing from the shaded jar, a
 * wrong handler string or a missing make target fails here; the unit and local-runtime tiers,
 * which run on Maven's classpath, cannot see those.
 */
@SlowSuite
@Order(4)
class DeployedShapeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Ingest first, so the later samples find the contacts they name (as in SampleEventsTest). */
    private static final List<String> ORDER = List.of("IngestFunction", "AdminFunction", "EventFunction", "SegmentFunction",
            "SegmentRefreshFunction", "CatalogFunction", "SendFunction", "EmailPagesFunction", "EngagementFunction",
            "JourneyFunction", "JourneyStartFunction", "PrivacyFunction", "CampaignFunction", "ReportFunction", "ImportFunction", "SmsFunction");

    static DeployedShape shape;

    @BeforeAll
    static void start() throws Exception {
        shape = new DeployedShape();
    }

    @AfterAll
    static void stop() throws Exception {
        if (shape != null) shape.close();
    }

    @Test
    void everySampleEventIsAnsweredByItsFunctionFromTheBuiltArtifact() throws Exception {
        assertThat(ORDER).containsExactlyInAnyOrderElementsOf(shape.stack.functions());
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        Map<String, Duration> coldStarts = new LinkedHashMap<>();
        for (String function : ORDER) {
            try (FunctionProcess process = shape.start(function)) {
                for (Path sample : samples(function)) {
                    RuntimeApi.Result result = process.invoke(Files.readAllBytes(sample), TIMEOUT);
                    assertThat(result.failed()).as(sample + " answered a function error: " + result.body() + "\n" + process.log()).isFalse();
                    JsonNode answer = Json.MAPPER.readTree(result.payload());
                    if (answer.has("statusCode")) {
                        assertThat(answer.get("statusCode").asInt()).as(sample + ": " + answer.path("body").asText() + "\n" + process.log())
                                .isBetween(200, 202);
                    }
                    answers.put(function + "/" + sample.getFileName(), answer);
                }
                if (function.equals("AdminFunction")) {
                    // a person's export: written to the bucket (moto's S3) and handed out as a presigned link
                    String contactId = Json.MAPPER.readTree(answers.get("AdminFunction/contact-by-email.json").path("body").asText())
                            .path("contact").path("contactId").asText();
                    ObjectNode export = (ObjectNode) Json.MAPPER.readTree(DeployedShape.ROOT.resolve("events/AdminFunction/contact-by-email.json").toFile());
                    String path = "/admin/contacts/" + contactId + "/export";
                    export.put("rawPath", path).put("rawQueryString", "");
                    ((ObjectNode) export.get("pathParameters")).put("proxy", path.substring("/admin/".length()));
                    ((ObjectNode) export.at("/requestContext/http")).put("path", path);
                    RuntimeApi.Result result = process.invoke(Json.write(export).getBytes(StandardCharsets.UTF_8), TIMEOUT);
                    assertThat(result.failed()).as(result.body() + "\n" + process.log()).isFalse();
                    answers.put("AdminFunction/export", Json.MAPPER.readTree(result.payload()));
                }
                if (function.equals("ImportFunction")) {
                    // the import AdminFunction started (its file put in moto's S3, the machine started in moto's Step Functions), stepped as
                    // the machine steps it: prepare its batches, run the first, finish
                    String importId = Json.MAPPER.readTree(answers.get("AdminFunction/post-import.json").path("body").asText()).path("id").asText();
                    ObjectNode step = Json.object().put("shopId", "demo").put("importId", importId).put("format", "shopify-customers-csv");
                    JsonNode prepared = Json.MAPPER.readTree(process.invoke(Json.write(step.deepCopy().put("action", "prepare")).getBytes(StandardCharsets.UTF_8), TIMEOUT).payload());
                    assertThat(prepared.path("batches").asInt()).as(prepared + "\n" + process.log()).isEqualTo(1);
                    RuntimeApi.Result batch = process.invoke(Json.write(step.deepCopy().put("action", "batch")
                            .put("key", prepared.path("prefix").asText() + "00000000.json")).getBytes(StandardCharsets.UTF_8), TIMEOUT);
                    assertThat(batch.failed()).as(batch.body() + "\n" + process.log()).isFalse();
                    answers.put("ImportFunction/batch", Json.MAPPER.readTree(batch.payload()));
                    assertThat(answers.get("ImportFunction/batch").path("imported").asInt()).as(batch.body()).isEqualTo(3);
                    assertThat(answers.get("ImportFunction/batch").path("skipped").asInt()).isEqualTo(2);
                    RuntimeApi.Result finished = process.invoke(Json.write(step.deepCopy().put("action", "finish").put("source", ""))
                            .getBytes(StandardCharsets.UTF_8), TIMEOUT);
                    assertThat(Json.MAPPER.readTree(finished.payload()).path("status").asText()).as(finished.body() + "\n" + process.log()).isEqualTo("done");
                }
                if (function.equals("SendFunction")) {
                    // the sample names no stored contact: send to the one the Shopify order created, through SES v2
                    String contactId = Json.MAPPER.readTree(answers.get("AdminFunction/contact-by-email.json").path("body").asText())
                            .path("contact").path("contactId").asText();
                    byte[] send = Files.readString(DeployedShape.ROOT.resolve("events/SendFunction/send-transactional.json"))
                            .replace("00000000-0000-4000-8000-000000000001", contactId).getBytes(StandardCharsets.UTF_8);
                    answers.put("SendFunction/to-the-ingested-contact", Json.MAPPER.readTree(process.invoke(send, TIMEOUT).payload()));
                }
                if (function.equals("JourneyFunction")) {
                    // a turn of a journey written as data: its send goes through SES v2 from JourneyFunction, its wait ends the turn
                    String contactId = Json.MAPPER.readTree(answers.get("AdminFunction/contact-by-email.json").path("body").asText())
                            .path("contact").path("contactId").asText();
                    var turn = Json.object().put("action", "turn").put("shopId", "demo").put("contactId", contactId).put("journey", "deployed-turn")
                            .put("execution", "demo-deployed-turn-1").put("key", contactId);
                    turn.set("flow", Json.read("""
                            {"trigger": {"event": "Order Completed"},
                             "steps": [{"id": "thanks", "send": {"template": "order-thank-you", "kind": "transactional"}}, {"id": "pause", "wait": "P1D"}]}""",
                            JsonNode.class));
                    RuntimeApi.Result result = process.invoke(Json.write(turn).getBytes(StandardCharsets.UTF_8), TIMEOUT);
                    assertThat(result.failed()).as("the turn answered a function error: " + result.body() + "\n" + process.log()).isFalse();
                    answers.put("JourneyFunction/turn", Json.MAPPER.readTree(result.payload()));
                }
                coldStarts.put(function, process.coldStart());
            }
        }
        System.out.println("cold start (fork to first answer) per function: " + coldStarts);

        // a signed Shopify webhook is stored, and the admin API finds its customer
        assertThat(answers.get("IngestFunction/shopify-orders-create.json").path("statusCode").asInt()).isEqualTo(200);
        // a page view through the function URL (route $default, no path parameters): matched on its path, stored
        assertThat(answers.get("IngestFunction/tracking-url-page.json").path("statusCode").asInt())
                .as(answers.get("IngestFunction/tracking-url-page.json").toString()).isEqualTo(200);
        JsonNode contact = Json.MAPPER.readTree(answers.get("AdminFunction/contact-by-email.json").path("body").asText());
        assertThat(answers.get("AdminFunction/contact-by-email.json").path("statusCode").asInt()).isEqualTo(200);
        assertThat(contact.path("contact").path("contactId").asText()).isNotBlank();
        // the export is a file behind a presigned link, which serves it
        JsonNode exported = Json.MAPPER.readTree(answers.get("AdminFunction/export").path("body").asText());
        assertThat(answers.get("AdminFunction/export").path("statusCode").asInt()).as(exported.toString()).isEqualTo(200);
        HttpResponse<String> file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(exported.path("url").asText())).build(),
                BodyHandlers.ofString());
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(file.body()).path("contactId").asText()).isEqualTo(contact.path("contact").path("contactId").asText());
        // the thank-you went out through SES v2 (the emulator holds it)
        assertThat(answers.get("SendFunction/to-the-ingested-contact").path("status").asText())
                .as(answers.get("SendFunction/to-the-ingested-contact").toString()).isEqualTo("sent");
        assertThat(shape.sentEmails()).anySatisfy(email -> assertThat(email.toString()).contains("jon@example.com"));
        // the written journey's turn sent its step and answered when to wake, at the step after the wait
        assertThat(answers.get("JourneyFunction/turn").path("at").asInt()).as(answers.get("JourneyFunction/turn").toString()).isEqualTo(2);
        assertThat(answers.get("JourneyFunction/turn").path("wake").asText()).isNotBlank();
        // the admin function made the campaign's schedule in Scheduler; CampaignFunction ran the firing from the jar
        assertThat(answers.get("AdminFunction/put-weekly-campaign.json").path("statusCode").asInt())
                .as(answers.get("AdminFunction/put-weekly-campaign.json").toString()).isEqualTo(200);
        assertThat(answers.get("CampaignFunction/scheduled.json").path("status").asText()).as(answers.get("CampaignFunction/scheduled.json").toString())
                .isEqualTo("done");
        assertThat(shape.sentEmails()).as("SendFunction's and the turn's").filteredOn(email -> email.toString().contains("jon@example.com")).hasSize(2);
        // batches of the table's stream as Lambda hands them over: the stored events counted, and a mark's counts
        assertThat(answers.get("EngagementFunction/counted-marks.json").path("marks").asInt()).as(answers.get("EngagementFunction/counted-marks.json").toString())
                .isEqualTo(1);
        assertThat(answers.get("ReportFunction/stored-events.json").path("events").asInt()).as(answers.get("ReportFunction/stored-events.json").toString())
                .isEqualTo(2);
    }

    private static List<Path> samples(String function) throws IOException {
        try (Stream<Path> files = Files.list(DeployedShape.ROOT.resolve("events").resolve(function))) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        }
    }
}
