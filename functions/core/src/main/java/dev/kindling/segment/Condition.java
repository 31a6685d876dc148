package dev.kindling.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A segment's rule tree. Parsed and validated by {@link SegmentParser}, evaluated by {@link Evaluator}. */
public sealed interface Condition {

    record All(List<Condition> conditions) implements Condition {}

    record Any(List<Condition> conditions) implements Condition {}

    record Not(Condition condition) implements Condition {}

    /** A trait compared with a value, e.g. {@code plan equals gold}; {@code trait} may be a dotted path into custom traits. */
    record Trait(String trait, Op op, JsonNode value) implements Condition {}

    /**
     * The contact performed (or did not perform) an event, with property filters, a count and a time window.
     *
     * @param afterLast count only events after the contact's last {@code afterLast} event ("no order since the checkout")
     * @param max       null for no upper bound
     */
    record Event(String event, List<PropertyFilter> where, int min, Integer max, Window window, String afterLast,
                 boolean performed) implements Condition {}

    /** The last time the contact performed an event is within {@code within} of now, or longer ago than {@code olderThan}. */
    record LastPerformed(String event, Duration within, Duration olderThan) implements Condition {}

    record Score(String group, Op op, double value) implements Condition {}

    record Stage(Set<String> stages) implements Condition {}

    record Metric(CommerceMetric metric, Op op, BigDecimal value) implements Condition {}

    /**
     * A date trait relative to today in the contact's time zone: {@code inDays} days from today (0: today,
     * 3: three days before the date). With {@code anniversary} the year is ignored (birthdays).
     */
    record DateRelative(String trait, int inDays, boolean anniversary) implements Condition {}

    record InSegment(String segmentId) implements Condition {}

    /** A stable random bucket: the contact's hash (with a salt) mod 100 falls in [from, to). For holdouts and splits. */
    record Bucket(String salt, int from, int to) implements Condition {}

    /** A time window: the last {@code within}, or between two instants (either may be open). */
    record Window(Duration within, Instant from, Instant to) {
        public static final Window ALWAYS = new Window(null, null, null);

        boolean contains(Instant at, Instant now) {
            if (within != null && at.isBefore(now.minus(within))) return false;
            if (from != null && at.isBefore(from)) return false;
            return to == null || at.isBefore(to);
        }
    }

    record PropertyFilter(String property, Op op, JsonNode value) {}

    enum CommerceMetric {
        orders, total_spent, average_order_value, days_since_last_order,
        /** The lifetime-value model's predictions (docs/reports.md): spend in the next 12 months, the chance they are gone, days to the next order. */
        predicted_clv, churn_probability, expected_next_order;

        /** Whether the value moves with time alone (the daily refresh re-reads it). */
        public boolean timeBased() {
            return this == days_since_last_order || this == predicted_clv || this == churn_probability || this == expected_next_order;
        }
    }

    enum Op {
        equals, not_equals, contains, exists, not_exists, gt, gte, lt, lte, in, date_before, date_after;

        boolean needsValue() {
            return this != exists && this != not_exists;
        }
    }
}
