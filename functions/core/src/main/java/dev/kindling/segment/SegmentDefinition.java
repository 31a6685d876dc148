package dev.kindling.segment;

/**
 * A named audience. {@code id} is the segment's key in the admin API and in other segments' {@code inSegment}.
 */
public record SegmentDefinition(String id, String name, Condition condition) {

    public Dependencies dependencies() {
        return Dependencies.of(condition);
    }
}
