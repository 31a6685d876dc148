package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The admin API's OpenAPI description: a valid OpenAPI 3.1 document (by the OpenAPI Initiative's own schema of one),
 * served at {@code GET /admin/openapi.json}, describing every route the admin function serves and no route it does not,
 * and every reference in it resolving. That each request and answer of the admin API's tests conforms to it is
 * {@link OpenApiContract}'s, which they call.
 */
class OpenApiDescriptionTest extends WithLocalRuntime {

    @Test
    void theServedDescriptionIsAValidOpenApi31Document() throws Exception {
        JsonNode served = client.adminJson("/admin/openapi.json");
        assertThat(served).isEqualTo(OpenApiContract.DOCUMENT);
        String schema;
        try (InputStream in = getClass().getResourceAsStream("/openapi/oas-3.1-schema-2022-10-07.json")) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema, InputFormat.JSON)
                .validate(Json.write(served), InputFormat.JSON);
        assertThat(errors).as("OpenAPI 3.1 schema").isEmpty();
        // and the schema tells a broken one
        assertThat(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema, InputFormat.JSON)
                .validate("{\"openapi\": \"3.1.0\", \"paths\": {\"/x\": {\"get\": {\"responses\": 7}}}}", InputFormat.JSON)).isNotEmpty();
        assertThat(client.admin("GET", "/admin/openapi.json", null, null).headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void everyRouteIsDescribedAndEveryDescribedOperationIsARoute() {
        Set<String> routes = new TreeSet<>();
        for (Route route : runtime.services().adminApiRoutes()) routes.add(route.routeKey());
        Set<String> described = new TreeSet<>();
        JsonNode paths = OpenApiContract.DOCUMENT.path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(field -> {
            if (List.of("get", "put", "post", "delete", "patch").contains(field)) described.add(field.toUpperCase() + " " + path);
        }));
        assertThat(described).as("described operations without a route").isSubsetOf(routes);
        assertThat(routes).as("routes without a description").isSubsetOf(described);
        assertThat(routes).hasSizeGreaterThan(50);
    }

    @Test
    void everyReferenceResolvesAndEveryOperationHasAnIdTagsAndItsErrors() {
        List<String> broken = new ArrayList<>();
        refs(OpenApiContract.DOCUMENT, "", broken);
        assertThat(broken).as("references that resolve nowhere").isEmpty();
        Set<String> ids = new HashSet<>();
        JsonNode paths = OpenApiContract.DOCUMENT.path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fields().forEachRemaining(f -> {
            if (!List.of("get", "put", "post", "delete").contains(f.getKey())) return;
            JsonNode op = f.getValue();
            assertThat(ids.add(op.path("operationId").asText())).as("unique operationId at " + path).isTrue();
            assertThat(op.path("tags").size()).as(path + " tags").isPositive();
            assertThat(op.path("responses").has("401")).as(f.getKey() + " " + path + " describes 401").isTrue();
            boolean changes = !f.getKey().equals("get") && !List.of("/admin/segments/preview", "/admin/templates/{id}/render",
                    "/admin/journeys/{id}/simulate").contains(path);
            if (changes) assertThat(op.path("responses").has("403")).as(f.getKey() + " " + path + " describes 403 (a read token)").isTrue();
        }));
    }

    /** Requests the description refuses are refused, and a wrong answer is caught: the contract is not vacuous. */
    @Test
    void theContractCatchesWhatBreaksIt() throws Exception {
        assertThat(OpenApiContract.violations("GET", client.url("/admin/audit?limit=5"), null, null, 200, "{\"entries\": []}")).isEmpty();
        assertThat(OpenApiContract.violations("GET", client.url("/admin/audit"), null, null, 200, "{\"entrees\": []}"))
                .anyMatch(v -> v.contains("entries"));
        assertThat(OpenApiContract.violations("GET", client.url("/admin/audit?limit=lots"), null, null, 200, "{\"entries\": []}"))
                .anyMatch(v -> v.contains("refuses the request"));
        assertThat(OpenApiContract.violations("GET", client.url("/admin/audit?colour=red"), null, null, 200, "{\"entries\": []}"))
                .anyMatch(v -> v.contains("colour is not described"));
        assertThat(OpenApiContract.violations("GET", client.url("/admin/audit"), null, null, 500, "{}")).anyMatch(v -> v.contains("500 is not described"));
        assertThat(OpenApiContract.violations("PUT", client.url("/admin/contacts/c1/do-not-sell"), "application/json", "{\"doNotSell\": \"yes\"}", 200,
                "{\"contactId\": \"c1\", \"doNotSell\": true}")).anyMatch(v -> v.contains("refuses the request"));
        // and the API itself: a malformed limit is refused as the description says
        assertThat(client.admin("GET", "/admin/audit?limit=lots", null, null).statusCode()).isEqualTo(400);
    }

    private static void refs(JsonNode node, String at, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && (!ref.asText().startsWith("#/") || OpenApiContract.DOCUMENT.at(ref.asText().substring(1)).isMissingNode())) {
                broken.add(at + ": " + ref.asText());
            }
            node.fields().forEachRemaining(f -> refs(f.getValue(), at + "/" + f.getKey(), broken));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) refs(node.get(i), at + "/" + i, broken);
        }
    }
}
