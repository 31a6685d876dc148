package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.YamlDocuments;
import java.util.List;

/**
 * {@code GET /admin/openapi.json}: the admin API's OpenAPI 3.1 description, {@code openapi.yaml} beside this class (the one
 * source: kept in the repository, served here, rendered into docs/admin-api.md, and what the admin API's tests check
 * every request and answer against).
 */
public final class AdminApiDescription {
    public static final String ROUTE = "GET /admin/openapi.json";

    public List<Route> routes() {
        return List.of(new Route(ROUTE, this::describe));
    }

    HttpResponse describe(HttpRequest request) {
        return HttpResponse.json(200, Holder.DOCUMENT);
    }

    /** The description as a JSON tree. */
    public static JsonNode document() {
        return Holder.DOCUMENT.deepCopy();
    }

    /** Read once, when first asked for: the admin function's cold start does not pay for it. */
    private static final class Holder {
        static final JsonNode DOCUMENT = YamlDocuments.resource("/dev/kindling/admin/openapi.yaml");
    }
}
