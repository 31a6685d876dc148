package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import dev.kindling.segment.MembershipStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link MembershipStore}: the contact's memberships in one item beside its profile, and each
 * segment's members as items spread over {@link KindlingTable#SHARDS} partitions by contact, all
 * changed in one transaction.
 */
public final class DynamoMembershipStore implements MembershipStore {
    static final String SK = "SEGMENTS";

    private final MeteredTable table;
    final ContactStateItems<Map<String, Instant>> items;

    public DynamoMembershipStore(MeteredTable table) {
        this.table = table;
        this.items = new ContactStateItems<>(table, SK, new TypeReference<>() {}, Map.of());
    }

    @Override
    public Stored<Map<String, Instant>> memberships(String shopId, String contactId) {
        return items.read(shopId, contactId);
    }

    @Override
    public boolean commit(String shopId, String contactId, long expectedVersion, Map<String, Instant> next,
                          List<String> entered, List<String> exited, List<BusEvent> pending) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(items.put(shopId, contactId, next, expectedVersion, pending)));
        int shard = KindlingTable.shard(contactId);
        for (String segment : entered) {
            Map<String, AttributeValue> member = key(KindlingTable.memberPk(shopId, segment, shard), contactId);
            member.put("since", s(next.get(segment).toString()));
            writes.add(table.put(Put.builder().item(member)));
        }
        for (String segment : exited) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                    .key(key(KindlingTable.memberPk(shopId, segment, shard), contactId)).build()).build());
        }
        try {
            table.transact(writes);
            return true;
        } catch (TransactionCanceledException lost) {
            return false;
        }
    }

    @Override
    public void published(String shopId, String contactId, long version) {
        items.published(shopId, contactId, version);
    }

    /** The cursor names a shard and the last contact returned from it (empty: its start), so pages walk the shards in order. */
    @Override
    public Page members(String shopId, String segmentId, String cursor, int limit, int lane, int lanes) {
        if (lanes < 1 || lanes > MAX_LANES || KindlingTable.SHARDS % lanes != 0 || lane < 0 || lane >= lanes) {
            throw new IllegalArgumentException("lane " + lane + " of " + lanes + ": lanes divide the " + KindlingTable.SHARDS + " shards");
        }
        int shard = lane; // the lane's shards: lane, lane + lanes, …
        String after = null;
        if (cursor != null) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                throw new IllegalArgumentException("malformed cursor");
            }
            int bar = decoded.indexOf('|');
            if (bar < 1 || !decoded.substring(0, bar).matches("\\d{1,2}")) throw new IllegalArgumentException("malformed cursor");
            shard = Integer.parseInt(decoded.substring(0, bar));
            after = decoded.substring(bar + 1).isEmpty() ? null : decoded.substring(bar + 1);
            if (shard >= KindlingTable.SHARDS || shard % lanes != lane) throw new IllegalArgumentException("malformed cursor");
        }
        List<Member> members = new ArrayList<>();
        while (shard < KindlingTable.SHARDS && members.size() < limit) {
            String pk = KindlingTable.memberPk(shopId, segmentId, shard);
            String start = after;
            int want = limit - members.size();
            QueryResponse page = table.query(b -> {
                b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk))).limit(want);
                if (start != null) b.exclusiveStartKey(key(pk, start));
            });
            page.items().forEach(i -> members.add(new Member(i.get(KindlingTable.SK).s(), Instant.parse(i.get("since").s()))));
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                after = page.lastEvaluatedKey().get(KindlingTable.SK).s();
            } else {
                shard += lanes;
                after = null;
            }
        }
        String next = shard < KindlingTable.SHARDS ? encode(shard, after == null ? "" : after) : null;
        return new Page(List.copyOf(members), next);
    }

    private static String encode(int shard, String after) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((shard + "|" + after).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long dropMembers(String shopId, String segmentId, Instant before) {
        long removed = 0;
        for (int shard = 0; shard < KindlingTable.SHARDS; shard++) {
            String pk = KindlingTable.memberPk(shopId, segmentId, shard);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = table.query(b -> {
                    b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk))).projectionExpression("pk, sk, since");
                    if (from != null) b.exclusiveStartKey(from);
                });
                for (Map<String, AttributeValue> member : page.items()) {
                    AttributeValue since = member.get("since");
                    if (!Instant.parse(since.s()).isBefore(before)) continue;
                    // one by one, each on the condition that it is still the row read: a bulk delete could take
                    // a row the new segment's backfill wrote between this read and the delete
                    if (table.deleteIf(key(pk, member.get(KindlingTable.SK).s()), "since = :since", Map.of(":since", since))) removed++;
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return removed;
    }
}
