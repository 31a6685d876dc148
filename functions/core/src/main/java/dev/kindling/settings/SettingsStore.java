package dev.kindling.settings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * A shop's marketing settings as the marketer wrote them: the scoring model and the segment
 * definitions (JSON documents). Every change raises the shop's settings version by one, and a write
 * names the version it was validated against, so two admins cannot together save a set of segments
 * neither of them checked (a cycle, a dangling reference).
 */
public interface SettingsStore {

    /** The documents and the version they are at (0 for a shop that never saved any). */
    record Documents(long version, Optional<JsonNode> scoring, Map<String, JsonNode> segments) {}

    /** Only the version: one small read, so callers can keep a parsed copy until it changes. */
    long version(String shopId);

    Documents documents(String shopId);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putScoring(String shopId, JsonNode scoring, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean putSegment(String shopId, String segmentId, JsonNode definition, long expectedVersion);

    /** False when the version moved on since {@code expectedVersion}. */
    boolean deleteSegment(String shopId, String segmentId, long expectedVersion);
}
