package dev.kindling.segment;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a condition reads, so a change re-evaluates only the segments it can affect; and whether the
 * answer can change with time alone (then the scheduled refresh re-evaluates it).
 *
 * @param lookback how far back events must be read to evaluate it (null: no events read)
 */
public record Dependencies(Set<String> events, Set<String> traits, boolean commerce, Set<String> scores, boolean stage,
                           Set<String> segments, boolean timeBased, Duration lookback) {

    public static Dependencies of(Condition condition) {
        Builder b = new Builder();
        b.visit(condition);
        return new Dependencies(Set.copyOf(b.events), Set.copyOf(b.traits), b.commerce, Set.copyOf(b.scores), b.stage,
                Set.copyOf(b.segments), b.timeBased, b.lookback);
    }

    /**
     * Whether time passing, with no new event, can only make the condition false, never true: every event it reads is one
     * performed (at least once, with no most) within a sliding window, or one read with no window at all, and nothing in
     * it moves with the clock otherwise (scores decay, time-based metrics, dates, segments). Such a condition that was
     * false when the person's last event was evaluated is false still, so the scheduled refresh need not read their
     * events to know it. Negations are allowed only around what time does not move.
     */
    public static boolean onlyLapses(Condition condition) {
        return switch (condition) {
            case Condition.All all -> all.conditions().stream().allMatch(Dependencies::onlyLapses);
            case Condition.Any any -> any.conditions().stream().allMatch(Dependencies::onlyLapses);
            case Condition.Not not -> {
                Dependencies negated = of(not.condition());
                yield !negated.timeBased() && negated.segments().isEmpty();
            }
            case Condition.Trait t -> true;
            case Condition.Stage s -> true;
            case Condition.Bucket b -> true;
            case Condition.Event e -> e.window().equals(Condition.Window.ALWAYS)
                    || e.performed() && e.min() >= 1 && e.max() == null && e.afterLast() == null
                    && e.window().within() != null && e.window().from() == null && e.window().to() == null;
            case Condition.LastPerformed l -> l.within() != null && l.olderThan() == null;
            case Condition.Metric m -> m.metric() == null || !m.metric().timeBased();
            case Condition.Score s -> false;
            case Condition.DateRelative d -> false;
            case Condition.InSegment in -> false;
        };
    }

    /**
     * Whether the condition's answer can move with time through anything but a score's decay: an event window, the last
     * time an event was performed, a metric time moves, a date. One that moves only with its scores keeps its answer
     * while no score it reads crosses a value ({@code dev.kindling.scoring.ScoreSummary}).
     */
    public static boolean movesWithTimeBesidesScores(Condition condition) {
        return switch (condition) {
            case Condition.All all -> all.conditions().stream().anyMatch(Dependencies::movesWithTimeBesidesScores);
            case Condition.Any any -> any.conditions().stream().anyMatch(Dependencies::movesWithTimeBesidesScores);
            case Condition.Not not -> movesWithTimeBesidesScores(not.condition());
            case Condition.Score s -> false;
            default -> of(condition).timeBased();
        };
    }

    private static final class Builder {
        final Set<String> events = new HashSet<>();
        final Set<String> traits = new HashSet<>();
        final Set<String> scores = new HashSet<>();
        final Set<String> segments = new HashSet<>();
        boolean commerce, stage, timeBased;
        Duration lookback;

        void visit(Condition c) {
            switch (c) {
                case Condition.All all -> {
                    // "X within W and no Y after the last X": when the first part holds the last X is within W, and when it
                    // fails the whole is false, so Y needs reading only as far back as W (not all history)
                    Map<String, Duration> required = new HashMap<>();
                    for (Condition child : all.conditions()) {
                        if (child instanceof Condition.Event e && e.performed() && e.min() >= 1 && e.window().within() != null) {
                            required.merge(e.event(), e.window().within(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
                        }
                    }
                    for (Condition child : all.conditions()) {
                        if (child instanceof Condition.Event e && e.afterLast() != null && required.containsKey(e.afterLast())
                                && e.window().equals(Condition.Window.ALWAYS)) {
                            events.add(e.event());
                            events.add(e.afterLast());
                            look(required.get(e.afterLast()), false);
                        } else {
                            visit(child);
                        }
                    }
                }
                case Condition.Any any -> any.conditions().forEach(this::visit);
                case Condition.Not not -> visit(not.condition());
                case Condition.Trait t -> traits.add(root(t.trait()));
                case Condition.Event e -> {
                    events.add(e.event());
                    if (e.afterLast() != null) events.add(e.afterLast());
                    boolean windowed = e.window().within() != null || e.window().from() != null || e.window().to() != null;
                    timeBased |= windowed;
                    look(e.window().within() != null ? e.window().within() : null, windowed && e.window().within() == null);
                }
                case Condition.LastPerformed l -> {
                    events.add(l.event());
                    timeBased = true;
                    look(null, true);
                }
                case Condition.Score s -> {
                    scores.add(s.group());
                    timeBased = true; // scores decay
                }
                case Condition.Stage s -> stage = true;
                case Condition.Metric m -> {
                    commerce = true;
                    timeBased |= m.metric() != null && m.metric().timeBased();
                }
                case Condition.DateRelative d -> {
                    traits.add(root(d.trait()));
                    timeBased = true;
                }
                case Condition.InSegment in -> segments.add(in.segmentId());
                case Condition.Bucket b -> { }
            }
        }

        /** Widens the lookback: a window's length, or all history when the window is unbounded. */
        void look(Duration within, boolean allHistory) {
            Duration need = allHistory || within == null ? ALL_HISTORY : within;
            if (lookback == null || need.compareTo(lookback) > 0) lookback = need;
        }

        static String root(String path) {
            int dot = path.indexOf('.');
            return dot < 0 ? path : path.substring(0, dot);
        }
    }

    /** Events are kept as long as their TTL allows; "all history" reads that far. */
    public static final Duration ALL_HISTORY = Duration.ofDays(3650);
}
