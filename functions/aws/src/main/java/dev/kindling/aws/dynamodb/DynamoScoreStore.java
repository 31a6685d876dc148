package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import dev.kindling.scoring.ScoreState;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.scoring.ScoreSummary;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * {@link ScoreStore} as one item per contact beside its profile (see {@link KindlingTable}), out of the contacts index,
 * and its {@link ScoreSummary} in the index as an item of its own ({@value #SUMMARY_SK}): the scores item is written
 * with most events, each write a second time when it was in the index; the summary only when the stage changes or a
 * crossing comes due sooner. (A scores item written before summaries is still in the index, whole, until its next write.)
 *
 * <p>Scores and their summary are two single writes, the scores first and marked {@value #SUMMARY_PENDING} until a
 * later write of them replaces the mark: one transaction of the two billed both twice (5 WRU, where these are 3), for a
 * tenth of the reference shop's events. A stop between the two fails the invocation, and its retry (or any later call)
 * reads the scores first: a read that finds the mark looks whether the index has the summary of that version, and
 * writes it if not.
 */
public final class DynamoScoreStore implements ScoreStore {
    static final String SK = "SCORE";
    static final String SUMMARY_SK = "STAGE";
    /** On a scores item written with a new summary for the index, until a later write replaces it (the mark is not carried). */
    static final String SUMMARY_PENDING = "summaryPending";

    private final MeteredTable table;
    final ContactStateItems<ScoreState> items;

    public DynamoScoreStore(MeteredTable table) {
        this.table = table;
        this.items = new ContactStateItems<>(table, SK, new TypeReference<>() {}, ScoreState.EMPTY, false);
    }

    @Override
    public Stored<ScoreState> scores(String shopId, String contactId) {
        Map<String, AttributeValue> item = table.get(KindlingTable.contactPk(shopId, contactId), SK, true);
        Stored<ScoreState> stored = items.parse(item);
        if (item != null && item.containsKey(SUMMARY_PENDING) && !summaryOfVersionIndexed(shopId, contactId, stored.version())) {
            putSummary(shopId, contactId, stored.value().indexed(), stored.version());
        }
        return stored;
    }

    /**
     * The scores, then with {@code summarized} their summary into the index (see above): the scores' write decides, and a
     * summary a later version put there first is kept.
     */
    @Override
    public boolean commit(String shopId, String contactId, ScoreState next, long expectedVersion, List<BusEvent> pending, boolean summarized) {
        Put.Builder scores = items.put(shopId, contactId, next, expectedVersion, pending);
        if (!summarized) return table.putIf(scores);
        Map<String, AttributeValue> marked = new HashMap<>(scores.build().item());
        marked.put(SUMMARY_PENDING, AttributeValue.fromBool(true));
        if (!table.putIf(scores.item(marked))) return false;
        putSummary(shopId, contactId, next.indexed(), expectedVersion + 1);
        return true;
    }

    /** Whether the index holds the summary of this version of the scores, or of a later one (an eventually consistent read: a stale answer only writes it again). */
    private boolean summaryOfVersionIndexed(String shopId, String contactId, long version) {
        Map<String, AttributeValue> summary = table.get(KindlingTable.contactPk(shopId, contactId), SUMMARY_SK, false);
        return summary != null && Long.parseLong(summary.get("scoreVersion").n()) >= version;
    }

    /**
     * The scores at their version again, saying which summary the index holds, then the summary on condition that no
     * summary of a later version of the scores is there: two single writes, as this is the refresh's and rare. A stop
     * between them leaves the index's summary as it was, due already, so the next refresh does it again.
     */
    @Override
    public void summarize(String shopId, String contactId, Stored<ScoreState> stored, ScoreSummary summary) {
        long version = stored.version();
        if (version > 0) {
            if (!table.putIf(items.put(shopId, contactId, stored.value().withIndexed(summary), version, stored.pending()))) return;
            version++;
        }
        putSummary(shopId, contactId, summary, version);
    }

    /** The summary of this version of the scores, unless the index has one of this version or a later one. */
    private void putSummary(String shopId, String contactId, ScoreSummary summary, long scoreVersion) {
        table.putIf(Put.builder().item(summaryItem(shopId, contactId, summary, scoreVersion))
                .conditionExpression("attribute_not_exists(pk) OR scoreVersion < :v").expressionAttributeValues(Map.of(":v", n(scoreVersion))));
    }

    @Override
    public void published(String shopId, String contactId, long version) {
        items.published(shopId, contactId, version);
    }

    boolean ownsSummary(Map<String, AttributeValue> item) {
        return SUMMARY_SK.equals(item.get(KindlingTable.SK).s());
    }

    static ScoreSummary summary(Map<String, AttributeValue> item) {
        return new ScoreSummary(item.containsKey("stage") ? item.get("stage").s() : null,
                item.containsKey("due") ? Instant.parse(item.get("due").s()) : null, item.get("basis").s());
    }

    static Map<String, AttributeValue> summaryItem(String shopId, String contactId, ScoreSummary summary, long scoreVersion) {
        Map<String, AttributeValue> item = key(KindlingTable.contactPk(shopId, contactId), SUMMARY_SK);
        if (summary.stage() != null) item.put("stage", s(summary.stage()));
        if (summary.due() != null) item.put("due", s(summary.due().toString()));
        item.put("basis", s(summary.basis()));
        item.put("scoreVersion", n(scoreVersion));
        KindlingTable.indexContact(item, shopId, contactId, SUMMARY_SK);
        return item;
    }
}
