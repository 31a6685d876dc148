package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.audience.ContactScan;
import dev.kindling.contact.Contact;
import dev.kindling.event.Stored;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.scoring.ScoreState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link ContactScan} over the sparse {@code contacts} index: a shard's profile, scores summary and
 * segments items arrive sorted by contact id, so each contact is assembled from consecutive items.
 * Reads are eventually consistent (the index is); a contact changed meanwhile is settled again by
 * its own change.
 */
public final class DynamoContactScan implements ContactScan {
    /**
     * Items a page reads (a profile and its scores and segments are three): a scan told to stop finishes the page it
     * is reading first, so smaller pages stop sooner; the units read are the same, billed per 4 KB either way.
     */
    static final int PAGE_ITEMS = 300;

    private final MeteredTable table;
    private final DynamoScoreStore scores;
    private final DynamoMembershipStore memberships;

    public DynamoContactScan(MeteredTable table, DynamoScoreStore scores, DynamoMembershipStore memberships) {
        this.table = table;
        this.scores = scores;
        this.memberships = memberships;
    }

    @Override
    public int shards() {
        return KindlingTable.SHARDS;
    }

    @Override
    public Reached scan(String shopId, int shard, BooleanSupplier stop, Consumer<ScannedContact> each) {
        String cpk = KindlingTable.contactsShardPk(shopId, shard);
        List<Map<String, AttributeValue>> group = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = table.query(b -> {
                b.indexName(KindlingTable.CONTACTS_INDEX).keyConditionExpression("cpk = :k").expressionAttributeValues(Map.of(":k", s(cpk)))
                        .limit(PAGE_ITEMS);
                if (from != null) b.exclusiveStartKey(from);
            });
            for (Map<String, AttributeValue> item : page.items()) {
                if (!group.isEmpty() && !contactOf(group.getFirst()).equals(contactOf(item))) {
                    emit(shopId, group, each);
                    String last = contactOf(group.getFirst());
                    group.clear();
                    if (stop.getAsBoolean()) return new Reached(false, last);
                }
                group.add(item);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (!group.isEmpty()) emit(shopId, group, each);
        return Reached.ALL;
    }

    private void emit(String shopId, List<Map<String, AttributeValue>> items, Consumer<ScannedContact> each) {
        Map<String, AttributeValue> profile = null, score = null, summary = null, segments = null;
        for (Map<String, AttributeValue> item : items) {
            if (scores.items.owns(item)) score = item;
            else if (scores.ownsSummary(item)) summary = item;
            else if (memberships.items.owns(item)) segments = item;
            else if (item.containsKey(DynamoContactStore.PROFILE)) profile = item;
        }
        if (profile == null) return; // scores or segments of a profile not visible in the index yet
        Contact contact = Json.read(GzippedJson.text(profile, DynamoContactStore.PROFILE), Contact.class);
        if (contact.mergedInto() != null) return;
        each.accept(new ScannedContact(contact, summary == null ? null : DynamoScoreStore.summary(summary),
                scoresOf(shopId, contact.contactId(), score), memberships.items.parse(segments)));
    }

    /**
     * The scores of a contact: whole in the index when written before summaries; else read from the table when asked for
     * (with no summary too: a contact never scored, or one whose summary the index does not show yet, so the refresh
     * reads them once and puts a summary in).
     */
    private Supplier<Stored<ScoreState>> scoresOf(String shopId, String contactId, Map<String, AttributeValue> score) {
        if (score == null) return Lazy.of(() -> scores.scores(shopId, contactId));
        Stored<ScoreState> whole = scores.items.parse(score);
        return () -> whole;
    }

    private static String contactOf(Map<String, AttributeValue> item) {
        String csk = item.get(KindlingTable.CSK).s();
        return csk.substring(0, csk.lastIndexOf('#'));
    }
}
