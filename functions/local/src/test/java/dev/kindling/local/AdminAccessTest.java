package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin tokens kept as hashes, each with a role; several valid at once for rotation; every change in the audit log. */
class AdminAccessTest {
    static final String ANALYST = "kt_analyst-token-0123456789";
    static final String EDITOR = "kt_editor-token-0123456789";
    static final String EDITOR_NEXT = "kt_editor-token-rotated-987";
    static LocalRuntime runtime;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path shops = dir.resolve("shops.yaml");
        // the file holds the tokens' hashes only
        Files.writeString(shops, """
                shops:
                  - id: hashed
                    name: Hashed tokens
                    writeKey: hashed-write-key
                    adminTokens:
                      - {id: analyst, role: read, sha256: %s}
                      - {id: editor, role: write, sha256: %s}
                      - {id: editor-rotated, role: write, sha256: %s}
                """.formatted(Signatures.sha256Hex(ANALYST), Signatures.sha256Hex(EDITOR), Signatures.sha256Hex(EDITOR_NEXT)));
        assertThat(Files.readString(shops)).doesNotContain(ANALYST, EDITOR);
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, shops, DaytimeClock.ticking()));
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        OpenApiContract.check(method, request.build().uri(), "application/json", body, response.statusCode(), response.body());
        return response;
    }

    @Test
    void aReadTokenReadsAndPreviewsButChangesNothingAWriteTokenChangesAndEveryChangeIsAudited() throws Exception {
        String segment = "{\"name\": \"NZ\", \"condition\": {\"trait\": \"country\", \"op\": \"equals\", \"value\": \"NZ\"}}";
        assertThat(call("GET", "/admin/scoring", ANALYST, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/admin/segments/preview", ANALYST, segment).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = call("PUT", "/admin/segments/nz", ANALYST, segment);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("forbidden");
        assertThat(call("GET", "/admin/segments/nz", EDITOR, null).statusCode()).as("nothing was written").isEqualTo(404);

        // rotation: the old and the new write token both work until the old entry is removed
        assertThat(call("PUT", "/admin/segments/nz", EDITOR, segment).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/admin/segments/nz", EDITOR_NEXT, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/admin/scoring", "kt_editor-token-012345678", null).statusCode()).as("not a prefix or a near miss").isEqualTo(401);
        assertThat(call("GET", "/admin/scoring", "demo-admin-token", null).statusCode()).isEqualTo(200); // another shop's token, its own shop

        // who a token is: the dashboard shows edit controls only to a write token
        JsonNode analyst = Json.MAPPER.readTree(call("GET", "/admin/session", ANALYST, null).body());
        assertThat(analyst.path("shop").path("id").asText()).isEqualTo("hashed");
        assertThat(analyst.path("role").asText()).isEqualTo("read");
        assertThat(analyst.path("canChange").asBoolean()).isFalse();
        assertThat(Json.MAPPER.readTree(call("GET", "/admin/session", EDITOR, null).body()).path("canChange").asBoolean()).isTrue();
        assertThat(call("GET", "/admin/session", null, null).statusCode()).isEqualTo(401);

        JsonNode audit = Json.MAPPER.readTree(call("GET", "/admin/audit", ANALYST, null).body()).path("entries");
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0).path("action").asText()).isEqualTo("DELETE /admin/segments/{id}");
        assertThat(audit.get(0).path("by").asText()).isEqualTo("admin token editor-rotated");
        assertThat(audit.get(1).path("action").asText()).isEqualTo("PUT /admin/segments/{id}");
        assertThat(audit.get(1).path("by").asText()).isEqualTo("admin token editor");
        assertThat(audit.get(1).path("subject").asText()).isEqualTo("/admin/segments/nz");
    }
}
