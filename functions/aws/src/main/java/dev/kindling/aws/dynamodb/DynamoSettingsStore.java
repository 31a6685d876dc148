package dev.kindling.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.settings.SettingsStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link SettingsStore} as versioned documents in {@code S#shop#SETTINGS}: the scoring document and one per segment. */
public final class DynamoSettingsStore implements SettingsStore {
    private static final String SCORING_SK = "SCORING";
    private static final String SEGMENT_PREFIX = "SEG#";

    private final VersionedDocuments documents;

    public DynamoSettingsStore(MeteredTable table) {
        this.documents = new VersionedDocuments(table, "SETTINGS");
    }

    @Override
    public long version(String shopId) {
        return documents.version(shopId);
    }

    @Override
    public Documents documents(String shopId) {
        VersionedDocuments.All all = documents.all(shopId);
        Map<String, JsonNode> segments = new HashMap<>();
        all.documents().forEach((sk, doc) -> {
            if (sk.startsWith(SEGMENT_PREFIX)) segments.put(sk.substring(SEGMENT_PREFIX.length()), doc);
        });
        return new Documents(all.version(), Optional.ofNullable(all.documents().get(SCORING_SK)), Map.copyOf(segments));
    }

    @Override
    public boolean putScoring(String shopId, JsonNode scoring, long expectedVersion) {
        return documents.put(shopId, SCORING_SK, scoring, expectedVersion);
    }

    @Override
    public boolean putSegment(String shopId, String segmentId, JsonNode definition, long expectedVersion) {
        return documents.put(shopId, SEGMENT_PREFIX + segmentId, definition, expectedVersion);
    }

    @Override
    public boolean deleteSegment(String shopId, String segmentId, long expectedVersion) {
        return documents.delete(shopId, SEGMENT_PREFIX + segmentId, expectedVersion);
    }
}
