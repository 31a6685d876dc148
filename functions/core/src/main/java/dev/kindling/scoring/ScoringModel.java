package dev.kindling.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.json.YamlDocuments;
import dev.kindling.segment.Condition;
import dev.kindling.segment.SegmentParser;
import dev.kindling.segment.SegmentParser.InvalidSegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A shop's lead scoring: score groups with their half-lives, the rules that give points, and the
 * lifecycle stage rules. Written as YAML or JSON (the file can live in git); {@link #defaults()} is
 * what a shop starts with (docs/scoring.md explains it).
 *
 * @param halfLives score group to its half-life (absent: the group does not decay)
 */
public record ScoringModel(Map<String, Duration> halfLives, List<ScoringRule> rules, List<StageRule> stages) {

    /**
     * How far along a stage is: the position of the first rule that leads to it (the file lists the
     * funnel, then the loyalty loop, in order); -1 for no stage or one no rule leads to.
     */
    public int stageOrder(String stage) {
        if (stage == null) return -1;
        for (int i = 0; i < stages.size(); i++) if (stages.get(i).to().equals(stage)) return i;
        return -1;
    }


    public static final List<String> FUNNEL = List.of("awareness", "interest", "consideration", "intent", "evaluation", "purchase");
    public static final List<String> LOYALTY = List.of("enjoyment", "advocacy", "bond");

    private static final JsonNode DEFAULT_DOCUMENT = load();
    private static final ScoringModel DEFAULTS = parse(DEFAULT_DOCUMENT);

    public static ScoringModel defaults() {
        return DEFAULTS;
    }

    /** The defaults as a document, as GET /admin/scoring shows them to a shop that saved none. */
    public static JsonNode defaultDocument() {
        return DEFAULT_DOCUMENT.deepCopy();
    }

    public Set<String> groups() {
        Set<String> all = new LinkedHashSet<>(halfLives.keySet());
        rules.forEach(r -> all.add(r.group()));
        return all;
    }

    public static ScoringModel fromYaml(String yaml) {
        return parse(SegmentParser.yamlTree(yaml));
    }

    /** @throws InvalidSegment listing every problem with its path */
    public static ScoringModel parse(JsonNode root) {
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) throw new InvalidSegment(List.of("scoring must be an object with groups, rules and stages"));
        Map<String, Duration> halfLives = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("groups").fields(); it.hasNext(); ) {
            var g = it.next();
            JsonNode days = g.getValue().path("halfLifeDays");
            if (days.isMissingNode() || days.isNull()) continue;
            if (!days.isNumber() || days.asDouble() <= 0) problems.add("groups." + g.getKey() + ".halfLifeDays: a number of days above zero");
            else halfLives.put(g.getKey(), Duration.ofMillis((long) (days.asDouble() * 86_400_000)));
        }
        List<ScoringRule> rules = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        JsonNode ruleNodes = root.path("rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            JsonNode r = ruleNodes.get(i);
            String at = "rules[" + i + "]";
            String id = r.path("id").asText("");
            if (id.isBlank() || !ids.add(id)) problems.add(at + ".id: a unique, non-empty id");
            String event = r.path("event").asText("");
            if (event.isBlank()) problems.add(at + ".event: the event name the rule scores");
            String group = r.path("group").asText("");
            if (group.isBlank()) problems.add(at + ".group: the score group the points go to");
            if (!r.path("points").isNumber() || r.path("points").asDouble() == 0) problems.add(at + ".points: a number other than zero");
            List<Condition.PropertyFilter> where = List.of();
            if (r.has("where")) {
                var probe = Json.object().put("event", event.isBlank() ? "x" : event).set("where", r.get("where"));
                if (SegmentParser.condition(probe, at, problems) instanceof Condition.Event e) where = e.where();
            }
            rules.add(new ScoringRule(id, event, where, group, r.path("points").asDouble(), frequency(r, at, problems)));
        }
        List<StageRule> stages = new ArrayList<>();
        JsonNode stageNodes = root.path("stages");
        for (int i = 0; i < stageNodes.size(); i++) {
            JsonNode s = stageNodes.get(i);
            String at = "stages[" + i + "]";
            String to = s.path("to").asText("");
            if (!SegmentParser.STAGES.contains(to)) problems.add(at + ".to: one of " + String.join(", ", SegmentParser.STAGES.stream().sorted().toList()));
            Set<String> from = new LinkedHashSet<>();
            for (JsonNode f : s.path("from")) {
                if (!SegmentParser.STAGES.contains(f.asText()) && !f.asText().equals("none")) problems.add(at + ".from: unknown stage '" + f.asText() + "'");
                from.add(f.asText());
            }
            Condition when = s.has("when") ? SegmentParser.condition(s.get("when"), at + ".when", problems) : null;
            // "onEvent", not "on": YAML 1.1 reads a bare on as the boolean true
            String on = s.hasNonNull("onEvent") ? s.get("onEvent").asText() : null;
            if (when == null && on == null && !from.equals(Set.of("none"))) {
                problems.add(at + ": needs onEvent (an event name) or when (a condition), or it would fire for everyone");
            }
            stages.add(new StageRule(s.path("id").asText(at), Set.copyOf(from), to, on, when));
        }
        if (!problems.isEmpty()) throw new InvalidSegment(problems);
        return new ScoringModel(Collections.unmodifiableMap(halfLives), List.copyOf(rules), List.copyOf(stages));
    }

    private static ScoringRule.Frequency frequency(JsonNode r, String at, List<String> problems) {
        if (r.path("once").asBoolean(false)) return new ScoringRule.Frequency.Once();
        JsonNode atMost = r.path("atMost");
        if (atMost.isMissingNode()) return new ScoringRule.Frequency.EveryTime();
        int times = atMost.path("times").asInt(0);
        JsonNode per = atMost.path("per");
        long days = per.path("days").asLong(0), hours = per.path("hours").asLong(0);
        Duration period = Duration.ofDays(days).plusHours(hours);
        if (times < 1 || period.isZero() || period.isNegative()) {
            problems.add(at + ".atMost: {times: N, per: {days: D} or {hours: H}} with N and the period above zero");
        }
        return new ScoringRule.Frequency.AtMost(Math.max(times, 1), period.isZero() ? Duration.ofDays(1) : period);
    }

    private static JsonNode load() {
        return YamlDocuments.resource("/default-scoring.yaml");
    }
}
