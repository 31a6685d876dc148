package dev.kindling.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.clv.ClvModel;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.json.Json;
import dev.kindling.segment.Condition.PropertyFilter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.zip.CRC32;

/** Decides whether a contact's facts satisfy a condition. Pure: the same facts and instant give the same answer. */
public final class Evaluator {
    private Evaluator() {}

    public static boolean matches(Condition condition, Facts facts) {
        return switch (condition) {
            case Condition.All all -> all.conditions().stream().allMatch(c -> matches(c, facts));
            case Condition.Any any -> any.conditions().stream().anyMatch(c -> matches(c, facts));
            case Condition.Not not -> !matches(not.condition(), facts);
            case Condition.Trait t -> Comparison.test(facts.trait(t.trait()), t.op(), t.value());
            case Condition.Event e -> event(e, facts);
            case Condition.LastPerformed l -> lastPerformed(l, facts);
            case Condition.Score s -> Comparison.test(Json.MAPPER.getNodeFactory().numberNode(facts.scores().getOrDefault(s.group(), 0.0)),
                    s.op(), Json.MAPPER.getNodeFactory().numberNode(s.value()));
            case Condition.Stage s -> facts.stage() != null && s.stages().contains(facts.stage());
            case Condition.Metric m -> metric(m, facts);
            case Condition.DateRelative d -> dateRelative(d, facts);
            case Condition.InSegment in -> facts.segments().contains(in.segmentId());
            case Condition.Bucket b -> {
                int bucket = bucket(facts.contact().contactId(), b.salt());
                yield bucket >= b.from() && bucket < b.to();
            }
        };
    }

    /** The contact's stable bucket 0–99 for a salt: the same contact and salt always land in the same bucket. */
    public static int bucket(String contactId, String salt) {
        CRC32 crc = new CRC32();
        crc.update((salt + ":" + contactId).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    private static boolean event(Condition.Event e, Facts facts) {
        Instant after = e.afterLast() == null ? null : lastTime(e.afterLast(), facts);
        int count = 0;
        for (CanonicalEvent x : facts.events()) {
            if (!e.event().equals(x.event())) continue;
            if (!e.window().contains(x.timestamp(), facts.now())) continue;
            if (after != null && !x.timestamp().isAfter(after)) continue;
            if (!propertiesPass(x, e.where())) continue;
            count++;
        }
        boolean inRange = count >= e.min() && (e.max() == null || count <= e.max());
        return e.performed() ? inRange : count == 0;
    }

    /** Whether an event's properties pass every filter (scoring rules use the same filters). */
    public static boolean propertiesPass(CanonicalEvent event, List<PropertyFilter> filters) {
        return filters.stream().allMatch(f -> property(event, f));
    }

    private static boolean property(CanonicalEvent event, PropertyFilter filter) {
        JsonNode node = event.properties() == null ? null : event.properties();
        for (String part : filter.property().split("\\.")) node = node == null ? null : node.path(part);
        return Comparison.test(node, filter.op(), filter.value());
    }

    private static boolean lastPerformed(Condition.LastPerformed l, Facts facts) {
        Instant last = lastTime(l.event(), facts);
        if (l.within() != null) return last != null && !last.isBefore(facts.now().minus(l.within()));
        return last == null || last.isBefore(facts.now().minus(l.olderThan()));
    }

    private static Instant lastTime(String event, Facts facts) {
        return facts.events().stream().filter(x -> event.equals(x.event())).map(CanonicalEvent::timestamp)
                .max(Instant::compareTo).orElse(null);
    }

    private static boolean metric(Condition.Metric m, Facts facts) {
        var commerce = facts.contact().commerce();
        BigDecimal actual = switch (m.metric()) {
            case orders -> BigDecimal.valueOf(commerce.orders());
            case total_spent -> commerce.totalSpent();
            case average_order_value -> commerce.averageOrderValue();
            case days_since_last_order -> commerce.lastOrderAt() == null ? null
                    : BigDecimal.valueOf(Duration.between(commerce.lastOrderAt(), facts.now()).toDays());
            case predicted_clv -> predicted(facts, ClvModel.Prediction::predictedClv);
            case churn_probability -> predicted(facts, ClvModel.Prediction::churnProbability);
            case expected_next_order -> predicted(facts, ClvModel.Prediction::daysToNextOrder);
        };
        JsonNode node = actual == null ? null : Json.MAPPER.getNodeFactory().numberNode(actual);
        return Comparison.test(node, m.op(), Json.MAPPER.getNodeFactory().numberNode(m.value()));
    }

    private static BigDecimal predicted(Facts facts, ToDoubleFunction<ClvModel.Prediction> what) {
        ClvModel.Prediction p = facts.prediction();
        if (p == null) return null;
        double value = what.applyAsDouble(p);
        return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
    }

    private static boolean dateRelative(Condition.DateRelative d, Facts facts) {
        JsonNode value = facts.trait(d.trait());
        if (value.isMissingNode() || value.isNull()) return false;
        LocalDate today = facts.now().atZone(facts.zone()).toLocalDate();
        LocalDate target = today.plusDays(d.inDays());
        String text = value.asText();
        try {
            if (d.anniversary()) {
                MonthDay day = text.length() == 5 && text.charAt(2) == '-' ? MonthDay.parse("--" + text) : MonthDay.from(LocalDate.parse(text.substring(0, 10)));
                // 29 February is celebrated on 28 February in other years
                if (day.getMonthValue() == 2 && day.getDayOfMonth() == 29 && !target.isLeapYear()) day = MonthDay.of(2, 28);
                return day.equals(MonthDay.from(target));
            }
            return LocalDate.parse(text.substring(0, 10)).equals(target);
        } catch (DateTimeParseException | StringIndexOutOfBoundsException unreadable) {
            return false;
        }
    }
}
