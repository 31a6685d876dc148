package dev.kindling.scoring;

import java.time.Duration;
import java.time.Instant;
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
                         List<StageChange> history, List<String> recent, long version) {

    public static final ScoreState EMPTY = new ScoreState(Map.of(), Map.of(), null, List.of(), List.of(), 0);

    public record GroupScore(double points, Instant asOf) {}

    public record StageChange(String from, String to, Instant at, String rule) {}

    /** The points of a group at {@code now}, after decay with the group's half-life (none: no decay). */
    public double points(String group, Duration halfLife, Instant now) {
        GroupScore score = groups.get(group);
        if (score == null) return 0;
        return decayed(score, halfLife, now);
    }

    static double decayed(GroupScore score, Duration halfLife, Instant now) {
        if (halfLife == null || !now.isAfter(score.asOf())) return score.points();
        double halfLives = (double) Duration.between(score.asOf(), now).toMillis() / halfLife.toMillis();
        return score.points() * Math.pow(0.5, halfLives);
    }
}
