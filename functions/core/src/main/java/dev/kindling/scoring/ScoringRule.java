package dev.kindling.scoring;

import dev.kindling.segment.Condition.PropertyFilter;
import java.time.Duration;
import java.util.List;

/**
 * Points for an event: {@code points} (negative to subtract) in {@code group} when {@code event} happens
 * and its properties pass {@code where}, as often as {@code frequency} allows.
 */
public record ScoringRule(String id, String event, List<PropertyFilter> where, String group, double points, Frequency frequency) {

    public sealed interface Frequency {
        record EveryTime() implements Frequency {}

        record Once() implements Frequency {}

        /** At most {@code times} within any {@code period}. */
        record AtMost(int times, Duration period) implements Frequency {}
    }
}
