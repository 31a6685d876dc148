package dev.kindling.config;

import com.fasterxml.jackson.databind.JsonNode;

/** One document of a shop's configuration: its kind, its id (the file's name) and its body. */
public record ConfigDocument(ConfigKind kind, String id, JsonNode body) {
    /** Where a document lives: its kind and id. */
    public record Place(ConfigKind kind, String id) {}

    public String file() {
        return kind.file(id);
    }

    public String url() {
        return kind.url(id);
    }
}
