package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.json.Json;
import dev.kindling.segment.SegmentParser;
import java.io.IOException;

/** The body of an admin write: a JSON document, or YAML when sent with a YAML content type (to keep settings in git). */
final class AdminDocuments {
    private AdminDocuments() {}

    static JsonNode read(HttpRequest request, int maxBytes) {
        if (request.body().length > maxBytes) throw ApiException.tooLarge("documents are limited to " + maxBytes / 1024 + " KB");
        if (request.body().length == 0) throw ApiException.badRequest("the request has no body");
        String type = String.valueOf(request.header("content-type")).toLowerCase();
        JsonNode doc;
        try {
            doc = type.contains("yaml") ? SegmentParser.yamlTree(request.bodyText()) : Json.MAPPER.readTree(request.body());
        } catch (IOException | RuntimeException unreadable) {
            throw ApiException.badRequest("the body is not valid " + (type.contains("yaml") ? "YAML" : "JSON") + ": "
                    + String.valueOf(unreadable.getMessage()).lines().findFirst().orElse(""));
        }
        if (doc == null || !doc.isObject()) throw ApiException.badRequest("the body must be an object");
        return doc;
    }
}
