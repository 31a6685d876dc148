package dev.kindling.scoring;

import dev.kindling.event.Fingerprint;
import dev.kindling.segment.Condition;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The values a shop's stage rules and segments compare each score group with, beside the groups' half-lives: what a
 * decaying score can cross with time alone, and so when a person's scores next need reading ({@link ScoreSummary}).
 *
 * @param basis a fingerprint of both: a summary worked out with another basis (a model or segment changed since) is due
 */
public record ScoreThresholds(Map<String, Duration> halfLives, Map<String, Set<Double>> values, String basis) {

    public static ScoreThresholds of(ScoringModel model, Collection<Condition> segmentConditions) {
        Map<String, Set<Double>> values = new TreeMap<>();
        for (StageRule rule : model.stages()) if (rule.when() != null) collect(rule.when(), values);
        for (Condition condition : segmentConditions) collect(condition, values);
        Map<String, Duration> halfLives = new TreeMap<>(model.halfLives());
        return new ScoreThresholds(halfLives, values, Fingerprint.of(halfLives + "|" + values));
    }

    /** The values compared with this group (none: nothing reads it). */
    public Set<Double> of(String group) {
        return values.getOrDefault(group, Set.of());
    }

    private static void collect(Condition condition, Map<String, Set<Double>> values) {
        switch (condition) {
            case Condition.All all -> all.conditions().forEach(c -> collect(c, values));
            case Condition.Any any -> any.conditions().forEach(c -> collect(c, values));
            case Condition.Not not -> collect(not.condition(), values);
            case Condition.Score score -> values.computeIfAbsent(score.group(), g -> new TreeSet<>()).add(score.value());
            default -> { }
        }
    }
}
