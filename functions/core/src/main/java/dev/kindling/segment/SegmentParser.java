package dev.kindling.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.json.YamlDocuments;
import dev.kindling.segment.Condition.Op;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads segment definitions from JSON or YAML and validates them. Every error names where it is,
 * e.g. {@code condition.all[1].op: unknown operator 'greater' (one of equals, …)}.
 *
 * <pre>
 * id: abandoned-checkout
 * name: Checkout started in the last 24 hours, no order since
 * condition:
 *   all:
 *     - event: Checkout Started
 *       within: {hours: 24}
 *     - event: Order Completed
 *       performed: false
 *       afterLast: Checkout Started
 * </pre>
 */
public final class SegmentParser {
    public static final Set<String> STAGES = Set.of("awareness", "interest", "consideration", "intent", "evaluation", "purchase",
            "enjoyment", "advocacy", "bond", "at_risk", "lapsed");
    static final int MAX_DEPTH = 12;
    static final int MAX_NODES = 200;

    private int nodes;

    private SegmentParser() {}

    /** Thrown with every problem found, each with its path. */
    public static final class InvalidSegment extends IllegalArgumentException {
        private final List<String> problems;

        public InvalidSegment(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static SegmentDefinition fromYaml(String yaml) {
        return parse(yamlTree(yaml));
    }

    /** YAML as a JSON tree (JSON is YAML too), so both forms go through one validator. */
    public static JsonNode yamlTree(String yaml) {
        try {
            return YamlDocuments.read(yaml);
        } catch (RuntimeException e) {
            throw new InvalidSegment(List.of("not valid YAML: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
        }
    }

    public static SegmentDefinition parse(JsonNode root) {
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) throw new InvalidSegment(List.of("a segment must be an object with id, name and condition"));
        String id = root.path("id").asText("");
        if (!id.matches("[a-z0-9][a-z0-9_-]{0,63}")) problems.add("id: must be 1-64 lower-case letters, digits, '-' or '_'");
        String name = root.path("name").asText(id);
        SegmentParser parser = new SegmentParser();
        Condition condition = root.has("condition") ? parser.condition(root.get("condition"), "condition", 0, problems) : null;
        if (condition == null && !root.has("condition")) problems.add("condition: required");
        Instant createdAt = null;
        if (root.hasNonNull("createdAt")) {
            try {
                createdAt = Instant.parse(root.get("createdAt").asText());
            } catch (DateTimeParseException malformed) {
                problems.add("createdAt: not an ISO-8601 instant");
            }
        }
        if (!problems.isEmpty()) throw new InvalidSegment(problems);
        return new SegmentDefinition(id, name, condition, createdAt);
    }

    /** Parses one condition (for scoring's stage rules and filters); problems are added with {@code at} as their path. */
    public static Condition condition(JsonNode node, String at, List<String> problems) {
        return new SegmentParser().condition(node, at, 0, problems);
    }

    private Condition condition(JsonNode node, String at, int depth, List<String> problems) {
        if (++nodes > MAX_NODES) {
            problems.add(at + ": more than " + MAX_NODES + " conditions");
            return null;
        }
        if (depth > MAX_DEPTH) {
            problems.add(at + ": nested deeper than " + MAX_DEPTH);
            return null;
        }
        if (node == null || !node.isObject()) {
            problems.add(at + ": a condition must be an object");
            return null;
        }
        String kind = kind(node);
        if (kind == null) {
            problems.add(at + ": no condition key (one of all, any, not, trait, event, lastPerformed, score, stage, metric, date, anniversary, inSegment, bucket)");
            return null;
        }
        return switch (kind) {
            case "all", "any" -> {
                JsonNode list = node.get(kind);
                if (!list.isArray() || list.isEmpty()) {
                    problems.add(at + "." + kind + ": a non-empty list of conditions");
                    yield null;
                }
                List<Condition> children = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) children.add(condition(list.get(i), at + "." + kind + "[" + i + "]", depth + 1, problems));
                yield kind.equals("all") ? new Condition.All(children) : new Condition.Any(children);
            }
            case "not" -> new Condition.Not(condition(node.get("not"), at + ".not", depth + 1, problems));
            case "trait" -> {
                Op op = op(node, at, problems);
                yield new Condition.Trait(text(node, "trait", at, problems), op, value(node, op, at, problems));
            }
            case "event" -> event(node, at, problems);
            case "lastPerformed" -> {
                Duration within = node.has("within") ? duration(node.get("within"), at + ".within", problems) : null;
                Duration olderThan = node.has("olderThan") ? duration(node.get("olderThan"), at + ".olderThan", problems) : null;
                if ((within == null) == (olderThan == null)) problems.add(at + ": lastPerformed needs exactly one of within, olderThan");
                yield new Condition.LastPerformed(text(node, "lastPerformed", at, problems), within, olderThan);
            }
            case "score" -> {
                Op op = op(node, at, problems);
                if (op != null && !List.of(Op.gt, Op.gte, Op.lt, Op.lte, Op.equals, Op.not_equals).contains(op)) {
                    problems.add(at + ".op: a score compares with gt, gte, lt, lte, equals or not_equals");
                }
                JsonNode v = node.get("value");
                if (v == null || !v.isNumber()) problems.add(at + ".value: a number");
                yield new Condition.Score(text(node, "score", at, problems), op, v == null ? 0 : v.asDouble());
            }
            case "stage" -> {
                Set<String> stages = new LinkedHashSet<>();
                JsonNode s = node.get("stage");
                for (JsonNode one : s.isArray() ? s : Json.MAPPER.createArrayNode().add(s)) {
                    if (!STAGES.contains(one.asText())) problems.add(at + ".stage: unknown stage '" + one.asText() + "' (one of " + sorted(STAGES) + ")");
                    stages.add(one.asText());
                }
                yield new Condition.Stage(stages);
            }
            case "metric" -> {
                Condition.CommerceMetric metric = null;
                try {
                    metric = Condition.CommerceMetric.valueOf(node.get("metric").asText());
                } catch (IllegalArgumentException e) {
                    problems.add(at + ".metric: unknown metric '" + node.get("metric").asText() + "' (one of " + String.join(", ", Arrays.stream(Condition.CommerceMetric.values()).map(Enum::name).toList()) + ")");
                }
                Op op = op(node, at, problems);
                BigDecimal value = Comparison.number(node.get("value"));
                if (value == null) problems.add(at + ".value: a number");
                yield new Condition.Metric(metric, op, value);
            }
            case "date", "anniversary" -> {
                JsonNode days = node.path("inDays");
                if (!days.isMissingNode() && !days.isInt()) problems.add(at + ".inDays: a whole number of days");
                yield new Condition.DateRelative(text(node, kind, at, problems), days.asInt(0), kind.equals("anniversary"));
            }
            case "inSegment" -> new Condition.InSegment(text(node, "inSegment", at, problems));
            case "bucket" -> {
                JsonNode b = node.get("bucket");
                int from = b.path("from").asInt(-1), to = b.path("to").asInt(-1);
                if (from < 0 || to > 100 || from >= to) problems.add(at + ".bucket: from and to with 0 <= from < to <= 100");
                yield new Condition.Bucket(b.path("salt").asText(""), from, to);
            }
            default -> throw new IllegalStateException(kind);
        };
    }

    private Condition event(JsonNode node, String at, List<String> problems) {
        String name = text(node, "event", at, problems);
        List<Condition.PropertyFilter> where = where(node.path("where"), at + ".where", problems);
        JsonNode count = node.path("count");
        int min = count.path("min").asInt(1);
        Integer max = count.has("max") ? count.get("max").asInt() : null;
        if (min < 0 || (max != null && max < min)) problems.add(at + ".count: 0 <= min <= max");
        Duration within = node.has("within") ? duration(node.get("within"), at + ".within", problems) : null;
        Instant from = node.has("between") ? instant(node.get("between").path("from"), at + ".between.from", problems) : null;
        Instant to = node.has("between") ? instant(node.get("between").path("to"), at + ".between.to", problems) : null;
        if (within != null && node.has("between")) problems.add(at + ": within and between exclude each other");
        JsonNode performed = node.path("performed");
        if (!performed.isMissingNode() && !performed.isBoolean()) problems.add(at + ".performed: true or false");
        String afterLast = node.has("afterLast") ? node.get("afterLast").asText() : null;
        return new Condition.Event(name, List.copyOf(where), min, max, new Condition.Window(within, from, to), afterLast,
                performed.asBoolean(true));
    }

    private static String kind(JsonNode node) {
        for (String k : List.of("all", "any", "not", "trait", "event", "lastPerformed", "score", "stage", "metric", "date",
                "anniversary", "inSegment", "bucket")) {
            if (node.has(k)) return k;
        }
        return null;
    }

    /** An event's property filters ({@code where: [{property, op, value}]}), as segments and journeys' branches take them. */
    public static List<Condition.PropertyFilter> where(JsonNode w, String at, List<String> problems) {
        List<Condition.PropertyFilter> where = new ArrayList<>();
        if (w.isMissingNode()) return where;
        if (!w.isArray()) problems.add(at + ": a list of {property, op, value}");
        for (int i = 0; i < w.size(); i++) {
            String p = at + "[" + i + "]";
            Op op = op(w.get(i), p, problems);
            where.add(new Condition.PropertyFilter(text(w.get(i), "property", p, problems), op, value(w.get(i), op, p, problems)));
        }
        return where;
    }

    private static Op op(JsonNode node, String at, List<String> problems) {
        String name = node.path("op").asText(null);
        if (name == null) {
            problems.add(at + ".op: required (one of " + opNames() + ")");
            return null;
        }
        try {
            return Op.valueOf(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(at + ".op: unknown operator '" + name + "' (one of " + opNames() + ")");
            return null;
        }
    }

    private static JsonNode value(JsonNode node, Op op, String at, List<String> problems) {
        JsonNode value = node.get("value");
        if (op == null || !op.needsValue()) return value;
        if (value == null || value.isNull()) {
            problems.add(at + ".value: required for " + op);
        } else if (op == Op.in && !value.isArray()) {
            problems.add(at + ".value: a list for in");
        } else if ((op == Op.gt || op == Op.gte || op == Op.lt || op == Op.lte) && Comparison.number(value) == null) {
            problems.add(at + ".value: a number for " + op);
        } else if ((op == Op.date_before || op == Op.date_after) && Comparison.instant(value.asText()) == null) {
            problems.add(at + ".value: a date (2026-01-31) or date-time with offset for " + op);
        }
        return value;
    }

    private static String text(JsonNode node, String field, String at, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add(at + "." + field + ": a non-empty string");
            return "";
        }
        return v.asText();
    }

    /** {days: 3}, {hours: 24}, {minutes: 30}, or ISO-8601 (P3D, PT24H). */
    private static Duration duration(JsonNode node, String at, List<String> problems) {
        try {
            if (node.isTextual()) return positive(Duration.parse(node.asText()), at, problems);
            Duration d = Duration.ZERO;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String unit = it.next();
                long n = node.get(unit).asLong();
                d = d.plus(switch (unit) {
                    case "days" -> Duration.ofDays(n);
                    case "hours" -> Duration.ofHours(n);
                    case "minutes" -> Duration.ofMinutes(n);
                    default -> throw new IllegalArgumentException("unit " + unit);
                });
            }
            return positive(d, at, problems);
        } catch (RuntimeException e) {
            problems.add(at + ": a duration such as {days: 7}, {hours: 24} or P7D");
            return Duration.ZERO;
        }
    }

    private static Duration positive(Duration d, String at, List<String> problems) {
        if (d.isNegative() || d.isZero()) problems.add(at + ": must be longer than zero");
        return d;
    }

    private static Instant instant(JsonNode node, String at, List<String> problems) {
        if (node.isMissingNode() || node.isNull()) return null;
        Instant i = Comparison.instant(node.asText());
        if (i == null) problems.add(at + ": a date (2026-01-31) or date-time with offset");
        return i;
    }

    private static String opNames() {
        return String.join(", ", Arrays.stream(Op.values()).map(Enum::name).toList());
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }
}
