package dev.kindling.settings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.scoring.ScoreThresholds;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.segment.SegmentIndex;
import dev.kindling.segment.SegmentParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A shop's settings parsed and indexed, kept between invocations and parsed again only when the
 * shop's settings version changes (one small read per use).
 */
public final class ShopSettings {

    /**
     * What one version of a shop's settings says: the scoring model (the defaults until one is saved) and the segments; and
     * the values they compare scores with ({@link ScoreThresholds}), worked out once for the version, not with each event.
     */
    public record Snapshot(long version, ScoringModel scoring, SegmentIndex segments, ScoreThresholds scoreThresholds) {
        public Snapshot(long version, ScoringModel scoring, SegmentIndex segments) {
            this(version, scoring, segments, ScoreThresholds.of(scoring, segments.all().stream().map(SegmentDefinition::condition).toList()));
        }
    }

    private final SettingsStore store;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    public ShopSettings(SettingsStore store) {
        this.store = store;
    }

    public SettingsStore store() {
        return store;
    }

    public Snapshot current(String shopId) {
        Snapshot cached = cache.get(shopId);
        if (cached != null && cached.version() == store.version(shopId)) return cached;
        Snapshot fresh = parse(store.documents(shopId));
        cache.put(shopId, fresh);
        return fresh;
    }

    /** Parses stored documents; they were validated when saved, so a failure here is a fault of ours. */
    public static Snapshot parse(SettingsStore.Documents documents) {
        ScoringModel scoring = documents.scoring().map(ScoringModel::parse).orElse(ScoringModel.defaults());
        return new Snapshot(documents.version(), scoring, index(documents.segments()));
    }

    public static SegmentIndex index(Map<String, JsonNode> segments) {
        List<SegmentDefinition> definitions = new ArrayList<>();
        segments.values().forEach(doc -> definitions.add(SegmentParser.parse(doc)));
        return new SegmentIndex(definitions);
    }
}
