package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.json.Json;
import dev.kindling.segment.SegmentParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One journey's settings for one shop: on/off, delays (seconds), the template of each step, data the
 * templates read (discount codes, reward codes), a holdout percentage (those contacts get nothing and
 * are counted), weighted variants (each may name other templates: an A/B split of a step), re-entry
 * (days before a contact may enter again), and for win-back the segment whose entry starts it.
 */
public record JourneySettings(boolean enabled, int holdoutPercent, List<Variant> variants, Map<String, Long> delays,
                              Map<String, String> templates, ObjectNode data, int reentryDays, String segment, int giveUpDays) {

    public static final Set<String> JOURNEYS = Set.of("welcome", "abandoned-checkout", "browse-abandonment", "post-purchase", "win-back");
    private static final JsonNode DEFAULTS = load();

    public record Variant(String name, int weight, Map<String, String> templates) {}

    /** The defaults of a journey with a shop's stored settings laid over them (maps merged key by key). */
    public static JourneySettings of(String journey, JsonNode stored) {
        JsonNode d = DEFAULTS.path(journey);
        if (d.isMissingNode()) throw new IllegalArgumentException("no journey " + journey);
        ObjectNode merged = ((ObjectNode) d).deepCopy();
        if (stored != null && stored.isObject()) {
            stored.properties().forEach(e -> {
                if (e.getValue().isObject() && merged.path(e.getKey()).isObject()) ((ObjectNode) merged.get(e.getKey())).setAll((ObjectNode) e.getValue());
                else merged.set(e.getKey(), e.getValue());
            });
        }
        Map<String, Long> delays = new LinkedHashMap<>();
        merged.path("delays").properties().forEach(e -> delays.put(e.getKey(), e.getValue().asLong()));
        Map<String, String> templates = new LinkedHashMap<>();
        merged.path("templates").properties().forEach(e -> templates.put(e.getKey(), e.getValue().asText()));
        List<Variant> variants = new ArrayList<>();
        for (JsonNode v : merged.path("variants")) {
            Map<String, String> t = new LinkedHashMap<>();
            v.path("templates").properties().forEach(e -> t.put(e.getKey(), e.getValue().asText()));
            variants.add(new Variant(v.path("name").asText(), v.path("weight").asInt(1), Map.copyOf(t)));
        }
        if (variants.isEmpty()) variants.add(new Variant("a", 1, Map.of()));
        return new JourneySettings(merged.path("enabled").asBoolean(true), merged.path("holdoutPercent").asInt(0), List.copyOf(variants),
                delays, templates, merged.path("data").isObject() ? (ObjectNode) merged.get("data") : Json.object(),
                merged.path("reentryDays").asInt(0), merged.path("segment").asText(null), merged.path("giveUpDays").asInt(30));
    }

    /** Everything wrong with a stored settings document, each problem named by its field. */
    public static List<String> check(String journey, JsonNode doc, TemplateLibrary library) {
        List<String> problems = new ArrayList<>();
        if (!doc.isObject()) return List.of("settings: an object");
        JourneySettings s;
        try {
            s = of(journey, doc);
        } catch (RuntimeException unreadable) {
            return List.of("settings: " + unreadable.getMessage());
        }
        if (s.holdoutPercent < 0 || s.holdoutPercent > 100) problems.add("holdoutPercent: 0 to 100");
        if (s.reentryDays < 0 || s.reentryDays > 365) problems.add("reentryDays: 0 to 365");
        s.delays.forEach((k, v) -> {
            if (v < 0 || v > 365L * 86400) problems.add("delays." + k + ": 0 to 31536000 seconds");
        });
        JsonNode defaults = DEFAULTS.path(journey);
        doc.path("delays").properties().forEach(e -> {
            if (!defaults.path("delays").has(e.getKey())) problems.add("delays." + e.getKey() + ": this journey has no such delay");
        });
        doc.path("templates").properties().forEach(e -> {
            if (!defaults.path("templates").has(e.getKey())) problems.add("templates." + e.getKey() + ": this journey has no such step");
        });
        s.templates.forEach((step, t) -> {
            if (library.get(t).isEmpty()) problems.add("templates." + step + ": no template " + t);
        });
        int total = 0;
        for (int i = 0; i < s.variants.size(); i++) {
            Variant v = s.variants.get(i);
            if (v.name() == null || !v.name().matches("[A-Za-z0-9_-]{1,32}")) problems.add("variants[" + i + "].name: 1-32 of A-Z a-z 0-9 _ -");
            if (v.weight() < 0) problems.add("variants[" + i + "].weight: not negative");
            total += v.weight();
            int index = i;
            v.templates().forEach((step, t) -> {
                if (!defaults.path("templates").has(step)) problems.add("variants[" + index + "].templates." + step + ": this journey has no such step");
                else if (library.get(t).isEmpty()) problems.add("variants[" + index + "].templates." + step + ": no template " + t);
            });
        }
        if (total <= 0) problems.add("variants: the weights must add up to more than 0");
        if (journey.equals("win-back") && (s.segment == null || !s.segment.matches("[a-z0-9][a-z0-9_-]{0,63}"))) problems.add("segment: a segment id");
        return problems;
    }

    /** The variant a contact gets in an execution: weighted, stable for the same seed. */
    public Variant variantFor(String seed) {
        return pick(seed + "|variant", variants, Variant::weight);
    }

    public boolean inHoldout(String seed) {
        return inHoldout(seed, holdoutPercent);
    }

    /** Whether the seed (a contact and journey) falls in the holdout: stable, {@code percent} of seeds. */
    public static boolean inHoldout(String seed, int percent) {
        return percent > 0 && bucket(seed + "|holdout", 100) < percent;
    }

    /** One of the options by weight (A/B/n variants, split arms), the same one for the same seed. */
    public static <T> T pick(String seed, List<T> options, java.util.function.ToIntFunction<T> weight) {
        int pick = bucket(seed, options.stream().mapToInt(weight).sum());
        for (T option : options) {
            if (pick < weight.applyAsInt(option)) return option;
            pick -= weight.applyAsInt(option);
        }
        return options.getLast();
    }

    /** The step templates of a variant: its own where it names one, else the journey's. */
    public Map<String, String> templatesFor(Variant variant) {
        Map<String, String> all = new LinkedHashMap<>(templates);
        all.putAll(variant.templates());
        return all;
    }

    private static int bucket(String seed, int of) {
        if (of <= 0) return 0;
        byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
        long h = 1125899906842597L;
        for (byte b : bytes) h = 31 * h + b;
        return (int) Math.floorMod(h ^ (h >>> 29), (long) of);
    }

    private static JsonNode load() {
        try (InputStream in = JourneySettings.class.getResourceAsStream("/journeys/defaults.yaml")) {
            return SegmentParser.yamlTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
