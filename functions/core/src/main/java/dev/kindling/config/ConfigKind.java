package dev.kindling.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.EmailTemplate;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The kinds of document a shop's configuration holds: where each lives in a folder, at which admin URL, and under which
 * field its GET answers it (the field a PUT also takes it from). The admin API reads that field and the documents' id
 * rule from here, so the API and the CLI cannot disagree on them. In the order they are applied: what a later kind names
 * (a coupon, a topic, a template, a segment) comes before it.
 */
public enum ConfigKind {
    COUPONS("coupons", "/admin/coupons", "coupon"),
    SETTINGS("settings.yaml", "/admin/email/settings", "settings"),
    SCORING("scoring.yaml", "/admin/scoring", "scoring"),
    TEMPLATES("templates", "/admin/templates", "template"),
    SEGMENTS("segments", "/admin/segments", "segment"),
    JOURNEYS("journeys", "/admin/journeys", "stored"),
    CAMPAIGNS("campaigns", "/admin/campaigns", "definition");

    /** A segment's or template's id, in a file name and in the admin API's URL. */
    public static final String ID = "[a-z0-9][a-z0-9_-]{0,63}";

    private final String place;
    private final String url;
    private final String envelope;

    ConfigKind(String place, String url, String envelope) {
        this.place = place;
        this.url = url;
        this.envelope = envelope;
    }

    /** One document of its kind per shop (settings, scoring), not a folder of them. */
    public boolean single() {
        return place.endsWith(".yaml");
    }

    /** The folder of a kind with many documents. */
    public String folder() {
        return place;
    }

    public String file(String id) {
        return single() ? place : place + "/" + id + ".yaml";
    }

    public String url(String id) {
        return single() ? url : url + "/" + id;
    }

    /** The list's URL for a kind with many documents; the document's for a single one. */
    public String url() {
        return url;
    }

    /** The field of the GET's answer that holds the document. */
    public String envelope() {
        return envelope;
    }

    /** The kind and id a file of the layout holds, if it is one (settings.yaml, segments/vip.yaml, …). */
    public static Optional<ConfigDocument.Place> of(String file) {
        for (ConfigKind kind : values()) {
            if (kind.single() && file.equals(kind.place)) return Optional.of(new ConfigDocument.Place(kind, kind.name().toLowerCase()));
            if (!kind.single() && file.startsWith(kind.place + "/") && file.endsWith(".yaml")) {
                String id = file.substring(kind.place.length() + 1, file.length() - ".yaml".length());
                if (!id.contains("/")) return Optional.of(new ConfigDocument.Place(kind, id));
            }
        }
        return Optional.empty();
    }

    /**
     * The document as the shop holds it once saved, so a file and the shop's copy compare equal when saving the file would
     * change nothing: settings and templates with what the server fills in (defaults, its field order), a segment
     * without its id (the file's name) and the time it was made (the server's).
     */
    public JsonNode normal(JsonNode doc) {
        return switch (this) {
            case SETTINGS -> Json.MAPPER.valueToTree(EmailSettings.parse(doc, new ArrayList<>()));
            case TEMPLATES -> Json.MAPPER.valueToTree(EmailTemplate.of(doc));
            case COUPONS -> {
                // the codes go to the pool when saved; the shop's copy is the rest
                ObjectNode copy = ((ObjectNode) doc).deepCopy();
                copy.remove("codes");
                yield copy;
            }
            case SEGMENTS -> {
                ObjectNode copy = ((ObjectNode) doc).deepCopy();
                copy.remove("id");
                copy.remove("createdAt");
                yield copy;
            }
            default -> doc;
        };
    }
}
