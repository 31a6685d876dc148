package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.privacy.AuditLog;
import java.time.Instant;
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
}
