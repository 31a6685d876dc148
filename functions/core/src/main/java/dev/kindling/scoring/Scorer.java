package dev.kindling.scoring;

import dev.kindling.event.Fingerprint;
import dev.kindling.contact.Contact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventNames;
import dev.kindling.scoring.ScoreState.GroupScore;
import dev.kindling.scoring.ScoreState.StageChange;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a shop's scoring model: an event's points (respecting once / at-most-N-per-period, with
 * decay to now first), then the stage rules until none applies. Pure; an event already applied
 * (by message id) changes nothing, so redelivery is harmless.
 */
public final class Scorer {
    /** The stage changes the scores item keeps (the contact view's stage history): each is about 90 bytes of an item written with every event. */
    static final int MAX_HISTORY = 16;
    /**
     * Redelivery comes within minutes; 32 ids keep the scores item small (it is written on every event, and billed per
     * KB: as 11-character fingerprints they take about 450 bytes, as the message ids they are, 1.3 KB and more).
     */
    static final int RECENT_IDS = 32;

    private Scorer() {}

    /**
     * @param changed score groups with their points before and after
     * @param stageChanges the stage transitions made, in order (empty: stage unchanged)
     */
    public record Result(ScoreState state, Map<String, double[]> changed, List<StageChange> stageChanges) {
        public boolean isChange() {
            return !changed.isEmpty() || !stageChanges.isEmpty();
        }
    }

    /**
     * @param event  the event to apply, or null to re-check time-based stage rules only (the scheduled refresh)
     * @param events the contact's events, newest first, far enough back for the stage rules
     */
    public static Result apply(ScoringModel model, ScoreState state, Contact contact, CanonicalEvent event,
                               List<CanonicalEvent> events, Instant now) {
        if (event != null && state.applied(event.messageId())) return new Result(state, Map.of(), List.of());
        Map<String, GroupScore> groups = new HashMap<>(state.groups());
        Map<String, List<Instant>> hits = new HashMap<>(state.ruleHits());
        Map<String, double[]> changed = new LinkedHashMap<>();
        if (event != null) {
            for (ScoringRule rule : model.rules()) {
                if (!rule.event().equals(event.event()) || !Evaluator.propertiesPass(event, rule.where()) || !allowed(rule, hits, event.timestamp())) continue;
                // an imported event older than what the group already counts adds its points as decayed since then, and
                // the group stays as of its later time
                GroupScore kept = groups.get(rule.group());
                Instant asOf = kept != null && kept.asOf().isAfter(now) ? kept.asOf() : now;
                Duration halfLife = model.halfLives().get(rule.group());
                double before = state.points(rule.group(), halfLife, asOf);
                double current = changed.containsKey(rule.group()) ? changed.get(rule.group())[1] : before;
                double after = current + ScoreState.decayed(new GroupScore(rule.points(), now), halfLife, asOf);
                groups.put(rule.group(), new GroupScore(after, asOf));
                changed.put(rule.group(), new double[] {before, after});
                remember(rule, hits, event.timestamp());
            }
        }
        Map<String, Double> scores = ScoreState.pointsAt(groups, model, now);

        String stage = state.stage();
        List<StageChange> transitions = new ArrayList<>();
        Set<String> fired = new HashSet<>();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (StageRule rule : model.stages()) {
                if (fired.contains(rule.id()) || !rule.appliesFrom(stage) || rule.to().equals(stage)) continue;
                // a claimed order (the public write key's) scores as behaviour but moves no stage: only a real order places
                // someone in the purchase stage, or takes them out of it
                if (rule.on() != null && (event == null || !rule.on().equals(event.event()) || EventNames.isClaimedOrder(event))) continue;
                if (rule.when() != null && !Evaluator.matches(rule.when(), new Facts(contact, scores, stage, Set.of(), events, now))) continue;
                transitions.add(new StageChange(stage, rule.to(), now, rule.id()));
                stage = rule.to();
                fired.add(rule.id());
                moved = true;
                break;
            }
        }
        // an event that scores nothing and moves no stage is not remembered either: applied again it would change nothing
        // again, and the scores item (1-2 KB with its index copy) is not written for most page views of a busy day
        if (changed.isEmpty() && transitions.isEmpty()) return new Result(state, Map.of(), List.of());
        List<StageChange> history = new ArrayList<>(state.history());
        history.addAll(transitions);
        if (history.size() > MAX_HISTORY) history = history.subList(history.size() - MAX_HISTORY, history.size());
        List<String> recent = new ArrayList<>(state.recent());
        if (event != null) recent.add(Fingerprint.of(event.messageId()));
        if (recent.size() > RECENT_IDS) recent = recent.subList(recent.size() - RECENT_IDS, recent.size());
        ScoreState next = new ScoreState(Map.copyOf(groups), Map.copyOf(hits), stage, List.copyOf(history), List.copyOf(recent), state.absorbed(), state.indexed());
        return new Result(next, changed, List.copyOf(transitions));
    }


    private static boolean allowed(ScoringRule rule, Map<String, List<Instant>> hits, Instant at) {
        List<Instant> previous = hits.getOrDefault(rule.id(), List.of());
        return switch (rule.frequency()) {
            case ScoringRule.Frequency.EveryTime e -> true;
            case ScoringRule.Frequency.Once o -> previous.isEmpty();
            case ScoringRule.Frequency.AtMost m ->
                    previous.stream().filter(t -> t.isAfter(at.minus(m.period())) && !t.isAfter(at)).count() < m.times();
        };
    }

    private static void remember(ScoringRule rule, Map<String, List<Instant>> hits, Instant at) {
        switch (rule.frequency()) {
            case ScoringRule.Frequency.EveryTime e -> { }
            case ScoringRule.Frequency.Once o -> hits.put(rule.id(), List.of(at));
            case ScoringRule.Frequency.AtMost m -> {
                List<Instant> kept = new ArrayList<>(hits.getOrDefault(rule.id(), List.of()));
                kept.add(at);
                kept.sort(null);
                // a hit a period before the newest limits nothing an event in time order brings: not kept on an item written
                // with every event
                Instant newest = kept.getLast();
                kept.removeIf(t -> !t.isAfter(newest.minus(m.period())));
                hits.put(rule.id(), List.copyOf(kept.size() > m.times() ? kept.subList(kept.size() - m.times(), kept.size()) : kept));
            }
        }
    }
}
