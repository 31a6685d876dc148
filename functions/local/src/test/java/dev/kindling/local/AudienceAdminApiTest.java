package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scoring and segment admin API over HTTP: refusals are 4xx with a JSON body naming the
 * problem and leave the shop's settings as they were; each token sees its own shop only.
 */
class AudienceAdminApiTest {
    static final String DEMO = "demo-admin-token";
    static final String OTHER = "other-admin-token";
    static final HttpClient http = HttpClient.newHttpClient();
    static LocalRuntime runtime;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path shops = dir.resolve("shops.yaml");
        Files.writeString(shops, """
                shops:
                  - id: other
                    name: Other shop
                    shopifySecret: other-shopify-secret
                    wooSecret: other-woo-secret
                    writeKey: other-write-key
                    adminToken: other-admin-token
                """);
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, DaytimeClock.ticking()));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    @Test
    void withoutAValidTokenNothingIsReadOrWritten() throws Exception {
        assertThat(call("PUT", "/admin/segments/s1", "{\"condition\": {\"trait\": \"country\", \"op\": \"equals\", \"value\": \"NZ\"}}", null, "application/json")
                .statusCode()).isEqualTo(401);
        assertThat(call("GET", "/admin/scoring", null, "wrong-token", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/admin/segments/s1", null, DEMO, null).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidSegmentsAreRefusedWithEveryProblemNamedAndNothingIsSaved() throws Exception {
        long version = scoringVersion(DEMO);
        HttpResponse<String> invalid = put("/admin/segments/bad", """
                {"condition": {"all": [{"event": "Checkout Started", "within": {"hours": -1}}, {"trait": "country", "op": "near", "value": "NZ"}]}}""");
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode body = json(invalid);
        assertThat(body.path("error").asText()).isEqualTo("invalid");
        assertThat(body.path("problems").toString()).contains("condition.all[0]", "condition.all[1]");

        assertThat(json(put("/admin/segments/bad", "{\"condition\": {\"inSegment\": \"nowhere\"}}")).path("problems").toString())
                .contains("unknown segment nowhere");
        assertThat(put("/admin/segments/bad", "{\"id\": \"other-id\", \"condition\": {\"stage\": \"intent\"}}").statusCode()).isEqualTo(400);
        assertThat(put("/admin/segments/Bad%20Id", "{\"condition\": {\"stage\": \"intent\"}}").statusCode()).isEqualTo(400);
        assertThat(put("/admin/segments/bad", "{\"condition\": ").statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/admin/segments/bad", "", DEMO, "application/json").statusCode()).isEqualTo(400);
        assertThat(put("/admin/segments/bad", "{\"name\": \"" + "x".repeat(300 * 1024) + "\"}").statusCode()).isEqualTo(413);

        assertThat(call("GET", "/admin/segments/bad", null, DEMO, null).statusCode()).isEqualTo(404);
        assertThat(scoringVersion(DEMO)).isEqualTo(version);
    }

    @Test
    void segmentsMayNotReferenceEachOtherInACycleNorBeDeletedWhileReferenced() throws Exception {
        assertThat(put("/admin/segments/loop-a", "{\"condition\": {\"stage\": \"intent\"}}").statusCode()).isEqualTo(200);
        assertThat(put("/admin/segments/loop-b", "{\"condition\": {\"inSegment\": \"loop-a\"}}").statusCode()).isEqualTo(200);
        HttpResponse<String> cycle = put("/admin/segments/loop-a", "{\"condition\": {\"inSegment\": \"loop-b\"}}");
        assertThat(cycle.statusCode()).isEqualTo(400);
        assertThat(cycle.body()).contains("cycle");
        assertThat(json(call("GET", "/admin/segments/loop-a", null, DEMO, null)).path("segment").path("condition").has("stage")).isTrue();

        HttpResponse<String> referenced = call("DELETE", "/admin/segments/loop-a", null, DEMO, null);
        assertThat(referenced.statusCode()).isEqualTo(409);
        assertThat(json(referenced).path("message").asText()).contains("loop-a");
        assertThat(call("DELETE", "/admin/segments/loop-b", null, DEMO, null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/admin/segments/loop-a", null, DEMO, null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/admin/segments/loop-a", null, DEMO, null).statusCode()).isEqualTo(404);
        runtime.bus().awaitQuiet(Duration.ofSeconds(10));
    }

    @Test
    void theScoringModelIsReplacedFromYamlAndAnInvalidOneIsRefused() throws Exception {
        JsonNode defaults = json(call("GET", "/admin/scoring", null, OTHER, null));
        assertThat(defaults.path("default").asBoolean()).isTrue();
        assertThat(defaults.path("scoring").path("rules").size()).isGreaterThan(10);

        HttpResponse<String> invalid = call("PUT", "/admin/scoring", "rules:\n  - {id: r, event: '', group: g, points: 0}\n", OTHER, "application/yaml");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).path("problems").toString()).contains("rules[0].event", "rules[0].points");
        assertThat(json(call("GET", "/admin/scoring", null, OTHER, null)).path("default").asBoolean()).isTrue();

        String model = """
                groups:
                  engagement: {halfLifeDays: 7}
                rules:
                  - {id: visit, event: Page Viewed, group: engagement, points: 2}
                stages: []
                """;
        assertThat(call("PUT", "/admin/scoring", model, OTHER, "application/yaml").statusCode()).isEqualTo(200);
        JsonNode saved = json(call("GET", "/admin/scoring", null, OTHER, null));
        assertThat(saved.path("default").asBoolean()).isFalse();
        assertThat(saved.path("scoring").path("rules").get(0).path("id").asText()).isEqualTo("visit");
        // the other shop still has the defaults
        assertThat(json(call("GET", "/admin/scoring", null, DEMO, null)).path("default").asBoolean()).isTrue();
    }

    @Test
    void eachTokenSeesOnlyItsOwnShopsSegments() throws Exception {
        assertThat(put("/admin/segments/mine", "{\"condition\": {\"stage\": \"purchase\"}}").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/admin/segments/mine", null, OTHER, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/admin/segments/mine/members", null, OTHER, null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/admin/segments/mine", null, OTHER, null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/admin/segments/mine", null, DEMO, null).statusCode()).isEqualTo(200);
    }

    @Test
    void memberPagesRefuseForgedCursorsAndLimitsOutOfRange() throws Exception {
        assertThat(put("/admin/segments/paged", "{\"condition\": {\"stage\": \"purchase\"}}").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/admin/segments/paged/members?cursor=not-a-cursor!", null, DEMO, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/admin/segments/paged/members?cursor=OTk5fHg", null, DEMO, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/admin/segments/paged/members?limit=0", null, DEMO, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/admin/segments/paged/members?limit=5000", null, DEMO, null).statusCode()).isEqualTo(400);
        JsonNode empty = json(call("GET", "/admin/segments/paged/members", null, DEMO, null));
        assertThat(empty.path("members")).isEmpty();
        assertThat(empty.path("next").isNull() || empty.path("next").isMissingNode()).isTrue();
    }

    static long scoringVersion(String token) throws Exception {
        return json(call("GET", "/admin/scoring", null, token, null)).path("version").asLong();
    }

    static HttpResponse<String> put(String path, String json) throws Exception {
        return call("PUT", path, json, DEMO, "application/json");
    }

    static HttpResponse<String> call(String method, String path, String body, String token, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (contentType != null) request.header("Content-Type", contentType);
        HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
        OpenApiContract.check(method, request.build().uri(), contentType, body, response.statusCode(), response.body());
        return response;
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.read(response.body(), JsonNode.class);
    }
}
