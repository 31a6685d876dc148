package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.privacy.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/** {@link AuditLog}: one item per record in the shop's audit partition, newest last by time. */
public final class DynamoAuditLog implements AuditLog {
    private final MeteredTable table;

    public DynamoAuditLog(MeteredTable table) {
        this.table = table;
    }

    @Override
    public void record(String shopId, String action, String subject, String by, Instant at) {
        Map<String, AttributeValue> item = key(KindlingTable.shopPk(shopId, "AUDIT"), at + "#" + UUID.randomUUID());
        item.put("action", s(action));
        item.put("subject", s(subject));
        item.put("by", s(by));
        item.put("at", s(at.toString()));
        table.putIf(Put.builder().item(item));
    }

    @Override
    public List<Entry> recent(String shopId, int limit) {
        var page = table.query(b -> b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(KindlingTable.shopPk(shopId, "AUDIT"))))
                .scanIndexForward(false).limit(limit));
        return page.items().stream().map(i -> new Entry(i.get("action").s(), i.get("subject").s(), i.get("by").s(), Instant.parse(i.get("at").s())))
                .toList();
    }
}
