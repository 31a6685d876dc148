package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * JSON documents in one partition per shop with a version item: a change writes or deletes one
 * document and raises the version in one transaction, conditional on the version the change was
 * checked against. The audience settings and the email settings are each one such partition.
 */
final class VersionedDocuments {
    private static final String VERSION_SK = "V";

    private final MeteredTable table;
    private final String partition;

    /** @param partition the partition key's last part: {@code S#<shop>#<partition>} */
    VersionedDocuments(MeteredTable table, String partition) {
        this.table = table;
        this.partition = partition;
    }

    /**
     * How long a version read is trusted before it is read again. Every event's functions ask for the shop's settings
     * version (one strongly consistent read each), and a sale's second of 2,000 events read the settings partition 6,234
     * times (bin/bench-sale-hour), past a partition's 3,000 read units a second. {@code SETTINGS_TRUSTED_MS} (the template
     * sets 1,000, and 0 for AdminFunction, whose saves are checked against the version they read) or the
     * {@code kindling.settingsTrustedMs} property; unset, the version is read every time. A change written from this JVM
     * forgets the version it knew at once, so a function never reads past its own write.
     */
    static final String TRUSTED_MS = "SETTINGS_TRUSTED_MS";
    private static final Map<String, long[]> KNOWN = new ConcurrentHashMap<>(); // table + pk → {version, read at (System.nanoTime)}
    private static final long TRUSTED_NANOS = Duration.ofMillis(Long.parseLong(
            System.getProperty("kindling.settingsTrustedMs", System.getenv().getOrDefault(TRUSTED_MS, "0")).strip())).toNanos();

    long version(String shopId) {
        String known = table.name() + "|" + pk(shopId);
        long[] cached = TRUSTED_NANOS > 0 ? KNOWN.get(known) : null;
        long now = System.nanoTime();
        if (cached != null && now - cached[1] < TRUSTED_NANOS) return cached[0];
        Map<String, AttributeValue> item = table.get(pk(shopId), VERSION_SK, true);
        long version = item == null ? 0 : Long.parseLong(item.get("version").n());
        if (TRUSTED_NANOS > 0) KNOWN.put(known, new long[] {version, now});
        return version;
    }

    record All(long version, Map<String, JsonNode> documents) {}

    /** Every document by sort key, with the version they are at. */
    All all(String shopId) {
        long version = 0;
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : table.queryAll(b -> b.keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk(shopId)))).consistentRead(true), Integer.MAX_VALUE)) {
            String sk = item.get(KindlingTable.SK).s();
            if (sk.equals(VERSION_SK)) version = Long.parseLong(item.get("version").n());
            else documents.put(sk, Json.read(item.get("document").s(), JsonNode.class));
        }
        return new All(version, documents);
    }

    boolean put(String shopId, String sk, JsonNode document, long expectedVersion) {
        Map<String, AttributeValue> item = key(pk(shopId), sk);
        item.put("document", s(Json.write(document)));
        return write(shopId, expectedVersion, table.put(Put.builder().item(item)));
    }

    boolean delete(String shopId, String sk, long expectedVersion) {
        return write(shopId, expectedVersion, TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(key(pk(shopId), sk)).build()).build());
    }

    private String pk(String shopId) {
        return "S#" + shopId + "#" + partition;
    }

    private boolean write(String shopId, long expectedVersion, TransactWriteItem change) {
        Update.Builder bump = Update.builder().tableName(table.name()).key(key(pk(shopId), VERSION_SK))
                .updateExpression("SET version = :next");
        if (expectedVersion == 0) bump.conditionExpression("attribute_not_exists(pk)").expressionAttributeValues(Map.of(":next", n(1)));
        else bump.conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", n(expectedVersion), ":next", n(expectedVersion + 1)));
        try {
            table.transact(List.of(TransactWriteItem.builder().update(bump.build()).build(), change));
            return true;
        } catch (TransactionCanceledException lost) {
            return false;
        } finally {
            KNOWN.remove(table.name() + "|" + pk(shopId)); // written, or found changed: either way read it again
        }
    }
}
