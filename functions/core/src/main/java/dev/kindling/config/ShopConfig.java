package dev.kindling.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A shop's whole configuration as documents (scoring, settings, segments, templates, journeys, campaigns), by file. */
public record ShopConfig(SortedMap<String, ConfigDocument> documents) {
    public ShopConfig {
        documents = new TreeMap<>(documents);
    }

    public static ShopConfig of(Collection<ConfigDocument> documents) {
        return new ShopConfig(documents.stream().collect(Collectors.toMap(ConfigDocument::file, d -> d, (a, b) -> b, TreeMap::new)));
    }

    public Optional<ConfigDocument> get(ConfigKind kind, String id) {
        return Optional.ofNullable(documents.get(kind.file(id)));
    }

    /** The documents of one kind by id, in id order. */
    public Map<String, JsonNode> bodies(ConfigKind kind) {
        return documents.values().stream().filter(d -> d.kind() == kind)
                .collect(Collectors.toMap(ConfigDocument::id, ConfigDocument::body, (a, b) -> b, TreeMap::new));
    }

    /** Every document, each as the shop holds it once saved ({@link ConfigKind#normal}). */
    public ShopConfig normal() {
        return of(documents.values().stream().map(d -> new ConfigDocument(d.kind(), d.id(), d.kind().normal(d.body()))).toList());
    }

    /** The documents in the order they are applied: kind by kind, and within a kind what others use first. */
    public List<ConfigDocument> inApplyOrder() {
        Map<String, JsonNode> segments = bodies(ConfigKind.SEGMENTS);
        return documents.values().stream().sorted(Comparator.comparing(ConfigDocument::kind)
                .thenComparing((ConfigDocument d) -> rank(d, segments)).thenComparing(ConfigDocument::id)).toList();
    }

    /**
     * Within a kind, what is used before what uses it: partials, then layouts, then emails; a segment after the segments
     * it names ({@code inSegment}), by how deeply it nests them.
     */
    private static int rank(ConfigDocument d, Map<String, JsonNode> segments) {
        return switch (d.kind()) {
            case TEMPLATES -> switch (d.body().path("type").asText("email")) {
                case "partial" -> 0;
                case "layout" -> 1;
                default -> 2;
            };
            case SEGMENTS -> depth(d.id(), segments, new HashSet<>());
            default -> 0;
        };
    }

    private static int depth(String segment, Map<String, JsonNode> segments, Set<String> seen) {
        JsonNode body = segments.get(segment);
        if (body == null || !seen.add(segment)) return 0; // a cycle is the check's to report
        int deepest = 0;
        for (String named : named(body, new ArrayList<>())) deepest = Math.max(deepest, 1 + depth(named, segments, seen));
        seen.remove(segment);
        return deepest;
    }

    /** The segments a segment's condition names. */
    private static List<String> named(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("inSegment") && f.getValue().isTextual()) into.add(f.getValue().asText());
                else named(f.getValue(), into);
            });
        } else if (node.isArray()) {
            node.forEach(e -> named(e, into));
        }
        return into;
    }
}
