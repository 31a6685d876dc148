package dev.kindling.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A contact's scores and stage, kept beside the profile.
 *
 * @param groups   points per score group, as of an instant (decay is applied when read)
 * @param ruleHits when each frequency-limited rule last counted (at most as many as the rule allows)
 * @param history  the stage changes, newest last (the most recent {@link Scorer#MAX_HISTORY})
 * @param recent   ids of the last events applied, so a redelivered event is not counted twice
 */
public record ScoreState(Map<String, GroupScore> groups, Map<String, List<Instant>> ruleHits, String stage,
                         List<StageChange> history, List<String> recent) {

    public static final ScoreState EMPTY = new ScoreState(Map.of(), Map.of(), null, List.of(), List.of());

    public record GroupScore(double points, Instant asOf) {}

    public record StageChange(String from, String to, Instant at, String rule) {}

    /** The points of a group at {@code now}, after decay with the group's half-life (none: no decay). */
    public double points(String group, Duration halfLife, Instant now) {
        GroupScore score = groups.get(group);
        if (score == null) return 0;
        return decayed(score, halfLife, now);
    }

    /** Every group of the model with its points at {@code now} (0 for a group never scored). */
    public Map<String, Double> pointsAt(ScoringModel model, Instant now) {
        return pointsAt(groups, model, now);
    }

    static Map<String, Double> pointsAt(Map<String, GroupScore> groups, ScoringModel model, Instant now) {
        Map<String, Double> points = new LinkedHashMap<>();
        for (String group : model.groups()) {
            GroupScore g = groups.get(group);
            points.put(group, g == null ? 0 : decayed(g, model.halfLives().get(group), now));
        }
        return points;
    }

    static double decayed(GroupScore score, Duration halfLife, Instant now) {
        if (halfLife == null || !now.isAfter(score.asOf())) return score.points();
        double halfLives = (double) Duration.between(score.asOf(), now).toMillis() / halfLife.toMillis();
        return score.points() * Math.pow(0.5, halfLives);
    }
}
