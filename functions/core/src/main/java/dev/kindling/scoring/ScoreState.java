package dev.kindling.scoring;

import dev.kindling.event.Fingerprint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A contact's scores and stage, kept beside the profile.
 *
 * @param groups   points per score group, as of an instant (decay is applied when read)
 * @param ruleHits when each frequency-limited rule last counted (at most as many as the rule allows)
 * @param history  the stage changes, newest last (the most recent {@link Scorer#MAX_HISTORY})
 * @param recent   ids of the last events applied, so a redelivered event is not counted twice
 * @param absorbed ids of the profiles merged into this one whose scores were folded in (each once)
 * @param indexed  the summary of this state the contacts index holds, as last written with it (null: none yet)
 */
public record ScoreState(Map<String, GroupScore> groups, Map<String, List<Instant>> ruleHits, String stage,
                         List<StageChange> history, List<String> recent, List<String> absorbed, ScoreSummary indexed) {

    public static final ScoreState EMPTY = new ScoreState(Map.of(), Map.of(), null, List.of(), List.of(), List.of(), null);

    public ScoreState {
        absorbed = absorbed == null ? List.of() : absorbed; // states stored before profiles' scores were merged
    }

    public ScoreState(Map<String, GroupScore> groups, Map<String, List<Instant>> ruleHits, String stage,
                      List<StageChange> history, List<String> recent) {
        this(groups, ruleHits, stage, history, recent, List.of(), null);
    }

    /** This state, with {@code summary} as what the contacts index holds of it. */
    public ScoreState withIndexed(ScoreSummary summary) {
        return new ScoreState(groups, ruleHits, stage, history, recent, absorbed, summary);
    }

    /**
     * What the contacts index says of a person whose scores were not read: their stage, and no points. Only for what
     * reads no score (the hourly refresh leaves the rest to those whose {@link ScoreSummary} is due).
     */
    public static ScoreState atStage(String stage) {
        return new ScoreState(Map.of(), Map.of(), stage, List.of(), List.of(), List.of(), null);
    }

    /**
     * This state with a merged profile's folded in: what a visitor earned before they were known
     * (an identify, an order with their email) is kept. Points add up, each group decayed to now;
     * rule hits and applied event ids are united (so caps and redeliveries still hold); the stage
     * is the further along of the two in the model's stage order; the history is both, in time order.
     */
    public ScoreState absorb(String otherId, ScoreState other, ScoringModel model, Instant now) {
        if (absorbed.contains(otherId)) return this;
        Map<String, GroupScore> sum = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>(groups.keySet());
        names.addAll(other.groups.keySet());
        for (String group : names) {
            Duration halfLife = model.halfLives().get(group);
            double points = (groups.containsKey(group) ? decayed(groups.get(group), halfLife, now) : 0)
                    + (other.groups.containsKey(group) ? decayed(other.groups.get(group), halfLife, now) : 0);
            sum.put(group, new GroupScore(points, now));
        }
        Map<String, List<Instant>> hits = new LinkedHashMap<>(ruleHits);
        other.ruleHits.forEach((rule, times) -> {
            List<Instant> all = new ArrayList<>(hits.getOrDefault(rule, List.of()));
            all.addAll(times);
            all.sort(null);
            hits.put(rule, List.copyOf(all));
        });
        List<StageChange> bothHistories = new ArrayList<>(history);
        bothHistories.addAll(other.history);
        bothHistories.sort(Comparator.comparing(StageChange::at));
        List<String> ids = new ArrayList<>(recent);
        other.recent.stream().filter(id -> !ids.contains(id)).forEach(ids::add);
        List<String> absorbedNow = new ArrayList<>(absorbed);
        absorbedNow.add(otherId);
        other.absorbed.stream().filter(id -> !absorbedNow.contains(id)).forEach(absorbedNow::add);
        String further = model.stageOrder(other.stage) > model.stageOrder(stage) ? other.stage : stage;
        return new ScoreState(Map.copyOf(sum), Map.copyOf(hits), further, List.copyOf(bothHistories), List.copyOf(ids), List.copyOf(absorbedNow), indexed);
    }

    /** Whether the event with this message id was applied: its fingerprint is among the recent, or its id (states stored before fingerprints). */
    public boolean applied(String messageId) {
        return recent.contains(Fingerprint.of(messageId)) || recent.contains(messageId);
    }

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
