package dev.kindling.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.config.ConfigDocument;
import dev.kindling.config.ConfigKind;
import dev.kindling.config.ShopConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A shop's configuration as its admin API answers it: the settings and scoring, its segments, and what it wrote of the
 * rest — its own templates, its journeys and its settings over shipped ones, its saved campaigns. What Kindling ships and
 * the shop left as shipped is not part of it: it follows our fixes.
 */
final class ShopExport {
    private ShopExport() {}

    /** The configuration, and the comment lines a file gets (what it holds that is read-only here). */
    record Fetched(ShopConfig config, Map<String, List<String>> headers) {}

    static Fetched fetch(AdminClient admin) {
        List<ConfigDocument> documents = new ArrayList<>();
        JsonNode settings = admin.get(ConfigKind.SETTINGS.url());
        documents.add(document(ConfigKind.SETTINGS, "settings", settings));
        documents.add(document(ConfigKind.SCORING, "scoring", admin.get(ConfigKind.SCORING.url())));
        for (JsonNode t : admin.get(ConfigKind.TEMPLATES.url()).path("templates")) {
            if (t.path("custom").asBoolean()) documents.add(fetch(admin, ConfigKind.TEMPLATES, t.path("id").asText()));
        }
        for (JsonNode c : admin.get(ConfigKind.COUPONS.url()).path("coupons")) documents.add(fetch(admin, ConfigKind.COUPONS, c.path("id").asText()));
        for (JsonNode s : admin.get(ConfigKind.SEGMENTS.url()).path("segments")) {
            ObjectNode body = ((ObjectNode) s).deepCopy();
            documents.add(new ConfigDocument(ConfigKind.SEGMENTS, body.remove("id").asText(), body));
        }
        for (JsonNode j : admin.get(ConfigKind.JOURNEYS.url()).path("journeys")) {
            if (!j.path("shipped").asBoolean() || j.path("custom").asBoolean()) documents.add(fetch(admin, ConfigKind.JOURNEYS, j.path("id").asText()));
        }
        for (JsonNode c : admin.get(ConfigKind.CAMPAIGNS.url()).path("campaigns")) {
            if (c.path("saved").asBoolean()) documents.add(fetch(admin, ConfigKind.CAMPAIGNS, c.path("id").asText()));
        }
        JsonNode months = settings.path("retention").path("purgeInactiveMonths");
        List<String> retention = List.of("Retention is read-only here: it is the shop's record's (its SSM parameter, or the shops file).",
                "purgeInactiveMonths: " + (months.isNumber() ? months.asInt() + " (people inactive this long are erased)" : "not set (people are kept)"));
        return new Fetched(ShopConfig.of(documents).normal(), Map.of(ConfigKind.SETTINGS.file("settings"), retention));
    }

    private static ConfigDocument fetch(AdminClient admin, ConfigKind kind, String id) {
        return document(kind, id, admin.get(kind.url(id)));
    }

    private static ConfigDocument document(ConfigKind kind, String id, JsonNode answer) {
        return new ConfigDocument(kind, id, answer.path(kind.envelope()));
    }
}
