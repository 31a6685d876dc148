package dev.kindling.segment;

import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Segment memberships, kept both ways: per contact (which segments, since when) and per segment
 * (its members, spread over shards so a large segment never sits on one partition).
 */
public interface MembershipStore {

    /** The segments a contact is in, each with the instant it entered; empty at version 0 when none. */
    Stored<Map<String, Instant>> memberships(String shopId, String contactId);

    /**
     * Writes the contact's memberships as version {@code expectedVersion + 1}, adds it to the segments
     * in {@code entered} and removes it from those in {@code exited}, all at once, with the events to
     * publish. False when another write came first.
     */
    boolean commit(String shopId, String contactId, long expectedVersion, Map<String, Instant> next,
                   List<String> entered, List<String> exited, List<BusEvent> pending);

    /** The pending events of that version reached the bus. */
    void published(String shopId, String contactId, long version);

    /** A page of a segment's members; {@code cursor} is null for the first page and {@link Page#next} for the following. */
    default Page members(String shopId, String segmentId, String cursor, int limit) {
        return members(shopId, segmentId, cursor, limit, 0, 1);
    }

    /** The most lanes a segment's members can be read in at once, each apart from the others (the member lists' shards). */
    int MAX_LANES = 16;

    /**
     * A page of lane {@code lane} of {@code lanes} (at most {@link #MAX_LANES}) of a segment's members: the lanes together
     * are every member once, and each can be read by a worker of its own.
     */
    Page members(String shopId, String segmentId, String cursor, int limit, int lane, int lanes);

    /**
     * Removes a deleted segment's members that entered before {@code before} (the delete), and only those: a
     * segment made again under the id meanwhile keeps its own. Returns how many members were removed.
     */
    long dropMembers(String shopId, String segmentId, Instant before);

    record Member(String contactId, Instant since) {}

    /** @param next the cursor of the next page, null on the last */
    record Page(List<Member> members, String next) {}
}
