package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.config.ConfigKind;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.json.Json;
import dev.kindling.segment.SegmentParser;
import java.io.IOException;
import java.util.Optional;

/**
 * The body of an admin write: a JSON document, or YAML when sent with a YAML content type (to keep settings in git).
 *
 * <p>Every document PUT also takes what the same URL's GET answered, so a client saves back what it read without
 * unwrapping it: the GET's answer is an envelope holding the document under one field, its kind's
 * {@link ConfigKind#envelope} ({@code segment}, {@code scoring}, {@code template}, {@code settings}, a campaign's
 * {@code definition}, a journey's {@code stored}), beside read-only metadata ({@code id}, {@code version}, {@code membersUrl}, …), which a PUT ignores. No document of those
 * types has a field of its envelope's name, so the two cannot be confused.
 */
final class AdminDocuments {
    private AdminDocuments() {}

    /** A document PUT's document: the body itself, or the kind's {@link ConfigKind#envelope field} of the GET's answer sent back whole. */
    static JsonNode document(HttpRequest request, int maxBytes, ConfigKind kind) {
        return documentOrNone(request, maxBytes, kind)
                .orElseThrow(() -> ApiException.badRequest(kind.envelope() + " must be an object: the document, as GET answers it"));
    }

    /** As {@link #document}, but empty when the answer said there is none ({@code "stored": null}: a shipped journey the shop saved nothing for). */
    static Optional<JsonNode> documentOrNone(HttpRequest request, int maxBytes, ConfigKind kind) {
        String field = kind.envelope();
        JsonNode body = read(request, maxBytes);
        if (!body.has(field)) return Optional.of(body);
        JsonNode document = body.get(field);
        if (document.isNull()) return Optional.empty();
        if (!document.isObject()) throw ApiException.badRequest(field + " must be an object: the document, as GET answers it");
        return Optional.of(document);
    }

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
