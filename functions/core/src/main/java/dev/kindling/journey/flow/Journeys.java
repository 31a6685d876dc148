package dev.kindling.journey.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.json.YamlDocuments;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.kindling.email.TemplateTypes;
import java.util.stream.Stream;

/**
 * A shop's journeys: the ones Kindling ships (definitions in the journey language, {@code journeys/shipped/*.yaml})
 * and the ones it writes. Under a shipped id a shop saves either <em>settings</em> — a few knobs laid over the
 * shipped definition, so it keeps getting our fixes — or a whole definition of its own, which replaces ours:
 *
 * <pre>
 * enabled: true
 * holdoutPercent: 10
 * reentryDays: 7
 * dailyCap: 5000                             # at most this many entries a day
 * data: {discount_code: COMEBACK15}          # merged into the definition's data
 * templates: {first: my-cart-reminder}       # a send step's template, by the step's id
 * waits: {wait-first: PT2H}                  # a wait step's duration (a wait for an event: its longest), by id
 * variants: [{name: a, weight: 50}, {name: b, weight: 50, templates: {first: abandoned-checkout-short}}]
 * segment: lapsed                            # the segment a segment-triggered journey starts on
 * </pre>
 */
public final class Journeys {
    /** The journeys Kindling ships, in the order the admin API lists them; the first five are on unless the definition says not. */
    public static final List<String> SHIPPED = List.of("welcome", "abandoned-checkout", "browse-abandonment", "post-purchase", "win-back");
    private static final Set<String> SETTINGS = Set.of("enabled", "holdoutPercent", "reentryDays", "dailyCap", "data", "templates", "waits", "variants", "segment");
    /** The seeds' triggered emails as ready definitions, off until a shop switches them on ({@code enabled: true}). */
    public static final List<String> READY = List.of("form-abandonment", "chat-follow-up", "cross-sell", "expiry-reminder", "re-engagement", "drip");
    /** Every file in journeys/shipped: the five, then the ready definitions. */
    private static final List<String> FILES = Stream.concat(SHIPPED.stream(), READY.stream()).toList();
    private static final Map<String, JsonNode> DEFINITIONS = load();

    private Journeys() {}

    public static boolean isShipped(String id) {
        return DEFINITIONS.containsKey(id);
    }

    /** The ids of every shipped journey: the five above and the ready definitions a shop switches on. */
    public static Set<String> shipped() {
        return DEFINITIONS.keySet();
    }

    /** A shipped journey's own definition. */
    public static JsonNode definition(String id) {
        JsonNode d = DEFINITIONS.get(id);
        if (d == null) throw new IllegalArgumentException("no shipped journey " + id);
        return d.deepCopy();
    }

    /**
     * The definition a shop runs under an id: for a shipped journey its own whole definition when it saved one, else
     * ours with its settings laid over; for any other id what it wrote (null when nothing).
     */
    public static JsonNode effective(String id, JsonNode stored) {
        if (!isShipped(id) || FlowParser.isFlow(stored)) return stored;
        ObjectNode d = (ObjectNode) definition(id);
        if (stored == null || !stored.isObject()) return d;
        for (String field : List.of("enabled", "holdoutPercent", "reentryDays", "dailyCap")) if (stored.has(field)) d.set(field, stored.get(field));
        if (stored.path("data").isObject()) d.with("data").setAll((ObjectNode) stored.get("data"));
        if (stored.hasNonNull("segment") && d.path("trigger").has("segment")) {
            ObjectNode segment = d.with("trigger").with("segment");
            String side = segment.has("exited") ? "exited" : "entered";
            segment.put(side, stored.get("segment").asText());
        }
        ArrayNode variants = Json.MAPPER.createArrayNode();
        for (JsonNode v : stored.path("variants")) variants.addObject().put("name", v.path("name").asText()).set("weight", v.path("weight"));
        if (!variants.isEmpty()) d.set("variants", variants);
        for (JsonNode step : d.path("steps")) {
            ObjectNode s = (ObjectNode) step;
            String id0 = s.path("id").asText();
            if (s.has("send")) {
                ObjectNode send = s.get("send").isObject() ? (ObjectNode) s.get("send") : Json.object().put("template", s.get("send").asText());
                if (stored.path("templates").has(id0)) send.put("template", stored.path("templates").get(id0).asText());
                for (JsonNode v : stored.path("variants")) {
                    if (v.path("templates").has(id0)) send.with("variants").put(v.path("name").asText(), v.path("templates").get(id0).asText());
                }
                s.set("send", send);
            }
            if (s.has("wait") && stored.path("waits").has(id0)) {
                if (s.get("wait").isObject() && s.get("wait").has("for")) ((ObjectNode) s.get("wait")).set("within", stored.path("waits").get(id0));
                else s.set("wait", stored.path("waits").get(id0));
            }
        }
        return d;
    }

    /**
     * Everything wrong with what a shop saves under journey {@code id}: a shipped journey's settings, or a definition
     * (its own, or one that replaces a shipped journey); empty when it can be saved.
     */
    public static List<String> problems(String id, JsonNode doc, TemplateTypes templateExists) {
        if (isShipped(id) && !FlowParser.isFlow(doc)) return checkSettings(id, doc, templateExists);
        try {
            FlowParser.parse(id, doc, templateExists);
            return List.of();
        } catch (FlowParser.InvalidFlow invalid) {
            return invalid.problems();
        }
    }

    /** Why the definition is too large to run, if it is: every entry carries it in its Step Functions input. */
    public static Optional<String> tooLarge(String id, JsonNode doc) {
        int bytes = Json.write(doc).getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= Flow.MAX_SOURCE_BYTES) return Optional.empty();
        return Optional.of("journey " + id + " is " + bytes + " bytes as JSON; every entry carries it in its Step Functions input"
                + " (at most 256 KB), so a journey may be " + Flow.MAX_SOURCE_BYTES + " bytes");
    }

    /** Everything wrong with the settings of a shipped journey, each named by its field, then by the definition's path. */
    public static List<String> checkSettings(String id, JsonNode settings, TemplateTypes templateExists) {
        if (!settings.isObject()) return List.of("settings: an object");
        List<String> problems = new ArrayList<>();
        JsonNode d = definition(id);
        Map<String, String> kinds = new LinkedHashMap<>();
        for (JsonNode step : d.path("steps")) kinds.put(step.path("id").asText(), step.has("send") ? "send" : step.has("wait") ? "wait" : "other");
        settings.properties().forEach(e -> {
            if (!SETTINGS.contains(e.getKey())) problems.add(e.getKey() + ": not a setting (" + String.join(", ", SETTINGS.stream().sorted().toList())
                    + "); to change the steps, save a whole definition with steps");
        });
        settings.path("templates").properties().forEach(e -> {
            if (!"send".equals(kinds.get(e.getKey()))) problems.add("templates." + e.getKey() + ": this journey has no such send step");
            else if (templateExists.typeOf(e.getValue().asText()) == null) problems.add("templates." + e.getKey() + ": no template " + e.getValue().asText());
        });
        settings.path("waits").properties().forEach(e -> {
            if (!"wait".equals(kinds.get(e.getKey()))) problems.add("waits." + e.getKey() + ": this journey has no such wait step");
            else {
                try {
                    Duration.parse(e.getValue().asText(""));
                } catch (DateTimeParseException bad) {
                    problems.add("waits." + e.getKey() + ": an ISO-8601 duration such as PT2H");
                }
            }
        });
        JsonNode variants = settings.path("variants");
        for (int i = 0; i < variants.size(); i++) {
            int index = i;
            variants.get(i).path("templates").properties().forEach(e -> {
                if (!"send".equals(kinds.get(e.getKey()))) problems.add("variants[" + index + "].templates." + e.getKey() + ": this journey has no such send step");
                else if (templateExists.typeOf(e.getValue().asText()) == null) problems.add("variants[" + index + "].templates." + e.getKey() + ": no template " + e.getValue().asText());
            });
        }
        FlowParser.bounded(settings, "holdoutPercent", 0, 100, problems);
        FlowParser.bounded(settings, "reentryDays", 0, 3650, problems);
        FlowParser.bounded(settings, "dailyCap", 0, 10_000_000, problems);
        if (settings.has("enabled") && !settings.get("enabled").isBoolean()) problems.add("enabled: true or false");
        if (settings.has("data") && !settings.get("data").isObject()) problems.add("data: an object the templates read as data");
        if (settings.has("variants") && !settings.get("variants").isArray()) problems.add("variants: a list of {name, weight, templates}");
        if (settings.has("segment")) {
            if (!d.path("trigger").has("segment")) problems.add("segment: this journey does not start on a segment");
            else if (!settings.get("segment").asText("").matches("[a-z0-9][a-z0-9_-]{0,63}")) problems.add("segment: a segment id");
        }
        if (!problems.isEmpty()) return problems;
        try {
            FlowParser.parse(id, effective(id, settings), templateExists);
        } catch (FlowParser.InvalidFlow invalid) {
            problems.addAll(invalid.problems());
        }
        return problems;
    }

    /** Every journey of a shop (the shipped ones as it set them, and those it wrote), parsed; each was checked when saved. */
    public static List<Flow> all(Map<String, JsonNode> stored) {
        List<Flow> flows = new ArrayList<>();
        for (String id : DEFINITIONS.keySet()) flows.add(FlowParser.parse(id, effective(id, stored.get(id)), TemplateTypes.ANY));
        stored.forEach((id, doc) -> {
            if (!isShipped(id) && FlowParser.isFlow(doc)) flows.add(FlowParser.parse(id, doc, TemplateTypes.ANY));
        });
        return flows;
    }

    /** The shop's journeys that are switched on. */
    public static List<Flow> enabled(Map<String, JsonNode> stored) {
        return all(stored).stream().filter(Flow::enabled).toList();
    }

    /** The shop's journey of this id, or null. */
    public static Flow of(String id, Map<String, JsonNode> stored) {
        JsonNode doc = effective(id, stored.get(id));
        return doc == null || !FlowParser.isFlow(doc) ? null : FlowParser.parse(id, doc, TemplateTypes.ANY);
    }

    private static Map<String, JsonNode> load() {
        Map<String, JsonNode> definitions = new LinkedHashMap<>();
        for (String id : FILES) {
            definitions.put(id, YamlDocuments.resource("/journeys/shipped/" + id + ".yaml"));
        }
        return definitions;
    }
}
