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
               long version) {
        /** A run just begun, at version 0: nothing counted, no cursor, no lease. */
        public static Run started(String campaignId, String runId, Phase phase, Instant startedAt, Instant now) {
            return new Run(campaignId, runId, phase, Status.running, startedAt, now, null, Map.of(), Map.of(), null, null, null, 0);
        }

        /** The same run, moved on (same version: {@link CampaignRuns#update} writes the next). */
        public Run with(Phase phase, Status status, String cursor, Map<String, Long> counts, Map<String, Long> sentByVariant,
                        Instant leaseUntil, Instant updatedAt) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, Map.copyOf(counts), Map.copyOf(sentByVariant),
                    leaseUntil, decideAt, decision, version);
        }

        /** The same run waiting for its A/B test to be decided at {@code decideAt}. */
        public Run decidingAt(Instant decideAt) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, counts, sentByVariant, leaseUntil, decideAt,
                    decision, version);
        }

        /** The same run with its A/B test's result. */
        public Run decided(JsonNode decision) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, counts, sentByVariant, leaseUntil, decideAt,
                    decision, version);
        }

        public Run withVersion(long next) {
            return new Run(campaignId, runId, phase, status, startedAt, updatedAt, cursor, counts, sentByVariant, leaseUntil, decideAt,
                    decision, next);
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
