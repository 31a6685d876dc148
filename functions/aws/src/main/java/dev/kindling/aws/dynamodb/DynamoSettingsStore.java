package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.settings.SettingsStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link SettingsStore} in one partition per shop: a version item, the scoring document and one
 * item per segment. A change writes its document and raises the version in one transaction,
 * conditional on the version the change was checked against.
 */
public final class DynamoSettingsStore implements SettingsStore {
    private static final String VERSION_SK = "V";
    private static final String SCORING_SK = "SCORING";
    private static final String SEGMENT_PREFIX = "SEG#";

    private final MeteredTable table;

    public DynamoSettingsStore(MeteredTable table) {
        this.table = table;
    }

    @Override
    public long version(String shopId) {
        Map<String, AttributeValue> item = table.get(KindlingTable.settingsPk(shopId), VERSION_SK, true);
        return item == null ? 0 : Long.parseLong(item.get("version").n());
    }

    @Override
    public Documents documents(String shopId) {
        long version = 0;
        Optional<JsonNode> scoring = Optional.empty();
        Map<String, JsonNode> segments = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = table.query(b -> {
                b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(KindlingTable.settingsPk(shopId))))
                        .consistentRead(true);
                if (from != null) b.exclusiveStartKey(from);
            });
            for (Map<String, AttributeValue> item : page.items()) {
                String sk = item.get(KindlingTable.SK).s();
                if (sk.equals(VERSION_SK)) version = Long.parseLong(item.get("version").n());
                else if (sk.equals(SCORING_SK)) scoring = Optional.of(Json.read(item.get("document").s(), JsonNode.class));
                else if (sk.startsWith(SEGMENT_PREFIX)) segments.put(sk.substring(SEGMENT_PREFIX.length()), Json.read(item.get("document").s(), JsonNode.class));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new Documents(version, scoring, Map.copyOf(segments));
    }

    @Override
    public boolean putScoring(String shopId, JsonNode scoring, long expectedVersion) {
        return write(shopId, expectedVersion, table.put(document(shopId, SCORING_SK, scoring)));
    }

    @Override
    public boolean putSegment(String shopId, String segmentId, JsonNode definition, long expectedVersion) {
        return write(shopId, expectedVersion, table.put(document(shopId, SEGMENT_PREFIX + segmentId, definition)));
    }

    @Override
    public boolean deleteSegment(String shopId, String segmentId, long expectedVersion) {
        return write(shopId, expectedVersion, TransactWriteItem.builder().delete(Delete.builder().tableName(table.name())
                .key(key(KindlingTable.settingsPk(shopId), SEGMENT_PREFIX + segmentId)).build()).build());
    }

    private static Put.Builder document(String shopId, String sk, JsonNode document) {
        Map<String, AttributeValue> item = key(KindlingTable.settingsPk(shopId), sk);
        item.put("document", s(Json.write(document)));
        return Put.builder().item(item);
    }

    private boolean write(String shopId, long expectedVersion, TransactWriteItem change) {
        Update.Builder bump = Update.builder().tableName(table.name()).key(key(KindlingTable.settingsPk(shopId), VERSION_SK))
                .updateExpression("SET version = :next");
        if (expectedVersion == 0) bump.conditionExpression("attribute_not_exists(pk)").expressionAttributeValues(Map.of(":next", n(1)));
        else bump.conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", n(expectedVersion), ":next", n(expectedVersion + 1)));
        try {
            table.transact(List.of(TransactWriteItem.builder().update(bump.build()).build(), change));
            return true;
        } catch (TransactionCanceledException lost) {
            return false;
        }
    }
}
