package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.event.BusEvent;
import dev.kindling.event.Stored;
import dev.kindling.json.Json;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * A contact's derived state beside its profile (scores; segment memberships; the report ledger): one item with a
 * version, the state as gzipped JSON, and the bus events of its last change until they are confirmed published (the
 * outbox). Written with optimistic concurrency on the version.
 *
 * <p>Gzipped ({@link GzippedJson}) because these items are written with most events and billed per KB, twice for the
 * copy in the contacts index: the scores' stage history, rule hits and recent event ids are 1 to 4 KB of JSON and a
 * quarter of it gzipped.
 */
final class ContactStateItems<T> {
    private static final TypeReference<List<BusEvent>> EVENTS = new TypeReference<>() {};

    private final MeteredTable table;
    private final String sk;
    private final TypeReference<T> type;
    private final T empty;
    private final boolean indexed;

    ContactStateItems(MeteredTable table, String sk, TypeReference<T> type, T empty) {
        this(table, sk, type, empty, true);
    }

    /** @param indexed whether the item goes into the contacts index (the shop-wide scans read it) */
    ContactStateItems(MeteredTable table, String sk, TypeReference<T> type, T empty, boolean indexed) {
        this.table = table;
        this.sk = sk;
        this.type = type;
        this.empty = empty;
        this.indexed = indexed;
    }

    Stored<T> read(String shopId, String contactId) {
        return parse(table.get(KindlingTable.contactPk(shopId, contactId), sk, true));
    }

    /** The state an item holds (also for items read from the contacts index). */
    Stored<T> parse(Map<String, AttributeValue> item) {
        if (item == null) return new Stored<>(empty, 0, List.of());
        T value = Json.read(stateJson(item), type);
        List<BusEvent> pending = item.containsKey("pending") ? Json.read(GzippedJson.text(item, "pending"), EVENTS) : List.of();
        return new Stored<>(value, Long.parseLong(item.get("version").n()), pending);
    }

    /** The state's JSON: gzipped, or as text in an item written before states were. */
    static String stateJson(Map<String, AttributeValue> item) {
        return GzippedJson.text(item, "state");
    }

    boolean owns(Map<String, AttributeValue> item) {
        return sk.equals(item.get(KindlingTable.SK).s());
    }

    /** The put of the next version, conditional on the version read. */
    Put.Builder put(String shopId, String contactId, T next, long expectedVersion, List<BusEvent> pending) {
        Map<String, AttributeValue> item = key(KindlingTable.contactPk(shopId, contactId), sk);
        item.put("version", n(expectedVersion + 1));
        item.put("state", GzippedJson.of(next));
        // gzipped too: the outbox's events are the item's largest part when it has them (a write in twenty of the
        // scores', which a kilobyte of JSON took over the unit; and the update that empties it bills that size again)
        if (!pending.isEmpty()) item.put("pending", GzippedJson.of(pending));
        if (indexed) KindlingTable.indexContact(item, shopId, contactId, sk);
        return MeteredTable.atVersion(Put.builder().item(item), expectedVersion);
    }

    /** Empties the outbox of that version; a newer version keeps its own. */
    void published(String shopId, String contactId, long version) {
        try {
            table.update(b -> b.key(key(KindlingTable.contactPk(shopId, contactId), sk)).updateExpression("REMOVE pending")
                    .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", n(version))));
        } catch (ConditionalCheckFailedException newer) {
            // a later write replaced the outbox; its writer publishes its own events
        }
    }
}
