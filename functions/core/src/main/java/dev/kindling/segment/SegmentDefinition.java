package dev.kindling.segment;

import java.time.Instant;

/**
 * A named audience. {@code id} is the segment's key in the admin API and in other segments' {@code inSegment}.
 *
 * @param createdAt when the admin API first saved it (kept by later saves); null for a segment saved before
 *                  segments carried it, or written in a test
 */
public record SegmentDefinition(String id, String name, Condition condition, Instant createdAt) {

    public SegmentDefinition(String id, String name, Condition condition) {
        this(id, name, condition, null);
    }

    public Dependencies dependencies() {
        return Dependencies.of(condition);
    }

    /**
     * Whether a membership that began at {@code since} is one of this segment: a segment deleted and made again
     * under the same id is a new segment, and the memberships profiles still hold from the old one are not its own.
     */
    public boolean holds(Instant since) {
        return createdAt == null || !since.isBefore(createdAt);
    }
}
