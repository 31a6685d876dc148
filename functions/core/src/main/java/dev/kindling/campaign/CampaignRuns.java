package dev.kindling.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each run of a campaign (one firing of its schedule, or one {@code POST …/run}) and the campaign's own state (paused or
 * cancelled). A run is written after every page of recipients, so a worker that dies halfway is followed by one that
 * goes on from the last page; every write names the version it read, so two workers never both go on.
 */
public interface CampaignRuns {

    enum Phase {
        /** The test slice gets the variants. */
        test,
        /** Waiting for the test's time to be up. */
        testing,
        /** Everyone (no test), or the rest of the audience (the test's winner). */
        send,
        done
    }

    enum Status { running, paused, done, cancelled }

    /**
     * @param cursor       where the next page of the audience starts; null: at the beginning of the phase
     * @param counts       what happened to the audience: sent, skipped:&lt;reason&gt;, holdout, excluded, not_today …
     * @param sentByVariant emails sent per variant (an A/B test's recipients)
     * @param leaseUntil   the worker holding the run may go on until then; another waits or takes over after
     * @param decision     the test's result: each variant's figures, the probabilities, the winner, why
     */
    record Run(String campaignId, String runId, Phase phase, Status status, Instant startedAt, Instant updatedAt, String cursor,
               Map<String, Long> counts, Map<String, Long> sentByVariant, Instant leaseUntil, Instant decideAt, JsonNode decision,
               List<Lane> lanes, long version) {
        public Run {
            lanes = lanes == null ? List.of() : List.copyOf(lanes); // runs written before they had lanes: one, from the run's own fields
        }

        /** A run just begun, at version 0, in {@code lanes} lanes: nothing counted, no cursor, no lease. */
        public static Run started(String campaignId, String runId, Phase phase, Instant startedAt, Instant now, int lanes) {
            List<Lane> fresh = new java.util.ArrayList<>();
            for (int i = 0; i < lanes; i++) fresh.add(Lane.FRESH);
            return new Run(campaignId, runId, phase, Status.running, startedAt, now, null, Map.of(), Map.of(), null, null, null, fresh, 0);
        }

        /** The same run, moved on (same version: {@link CampaignRuns#update} writes the next). */
        public Run with(Phase phase, Status status, String cursor, Map<String, Long> counts, Map<String, Long> sentByVariant,
                        Instant leaseUntil, Instant updatedAt) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, Map.copyOf(counts), Map.copyOf(sentByVariant),
                    leaseUntil, decideAt, decision, lanes, version);
        }

        /** The same run waiting for its A/B test to be decided at {@code decideAt}. */
        public Run decidingAt(Instant decideAt) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, counts, sentByVariant, leaseUntil, decideAt,
                    decision, lanes, version);
        }

        /** The same run with its A/B test's result. */
        public Run decided(JsonNode decision) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, counts, sentByVariant, leaseUntil, decideAt,
                    decision, lanes, version);
        }

        /** The same run with these lanes, its counts and sends per variant their sums. */
        public Run withLanes(List<Lane> next) {
            Map<String, Long> total = new java.util.LinkedHashMap<>(), byVariant = new java.util.LinkedHashMap<>();
            for (Lane l : next) {
                l.counts().forEach((k, v) -> total.merge(k, v, Long::sum));
                l.sentByVariant().forEach((k, v) -> byVariant.merge(k, v, Long::sum));
            }
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, Map.copyOf(total), Map.copyOf(byVariant), leaseUntil,
                    decideAt, decision, next, version);
        }

        /** Its lanes; a run written before lanes were: one, its own cursor, counts and lease. */
        public List<Lane> laneList() {
            return !lanes.isEmpty() ? lanes : List.of(new Lane(cursor, counts, sentByVariant, leaseUntil, null, false));
        }

        public Run withVersion(long next) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, counts, sentByVariant, leaseUntil, decideAt,
                    decision, lanes, next);
        }
    }

    /**
     * One of a run's parallel workers' share of the audience (the member lists' shards it reads), as {@code Run}'s fields are
     * for the whole: where its next page starts, what happened so far, who holds it ({@code holder}, a worker's own id) and
     * until when, and whether it is through the phase.
     */
    record Lane(String cursor, Map<String, Long> counts, Map<String, Long> sentByVariant, Instant leaseUntil, String holder, boolean done) {
        static final Lane FRESH = new Lane(null, Map.of(), Map.of(), null, null, false);

        public Lane {
            counts = counts == null ? Map.of() : Map.copyOf(counts);
            sentByVariant = sentByVariant == null ? Map.of() : Map.copyOf(sentByVariant);
        }

        /** The lane at the start of the next phase: its counts kept, the rest afresh. */
        public Lane nextPhase() {
            return new Lane(null, counts, sentByVariant, null, null, false);
        }
    }

    Optional<Run> get(String shopId, String campaignId, String runId);

    /** False when the run exists already (a schedule that fired twice, a retried worker). */
    boolean create(String shopId, Run run);

    /** Writes version {@code run.version() + 1}; false when another write came first. */
    boolean update(String shopId, Run run);

    /** The campaign's runs, newest first. */
    List<Run> list(String shopId, String campaignId, int limit);

    /** Paused or cancelled by the shop; empty: as its definition says. */
    Optional<Status> state(String shopId, String campaignId);

    void setState(String shopId, String campaignId, Status state);
}
