package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.send.ShortLinks;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * {@link ShortLinks.Store}: one item per link, each in a partition of its own (a campaign's texts write many at once,
 * and DynamoDB takes 1,000 writes a second per partition), expiring with the link (TTL). 1 WRU to make, 0.5 RRU to follow.
 */
public final class DynamoShortLinks implements ShortLinks.Store {
    static final String SK = "L";

    private final MeteredTable table;

    public DynamoShortLinks(MeteredTable table) {
        this.table = table;
    }

    @Override
    public void save(String shopId, String code, ShortLinks.Link link) {
        Map<String, AttributeValue> item = key(pk(shopId, code), SK);
        item.put("url", s(link.url()));
        item.put("contactId", s(link.contactId()));
        item.put("messageId", s(link.messageId()));
        item.put("expires", s(link.expires().toString()));
        item.put(KindlingTable.EXPIRES_AT, n(link.expires().getEpochSecond()));
        table.putIf(Put.builder().item(item));
    }

    @Override
    public Optional<ShortLinks.Link> find(String shopId, String code) {
        return Optional.ofNullable(table.get(pk(shopId, code), SK, false)).map(item -> new ShortLinks.Link(item.get("url").s(),
                item.get("contactId").s(), item.get("messageId").s(), Instant.parse(item.get("expires").s())));
    }

    static String pk(String shopId, String code) {
        return KindlingTable.shopPk(shopId, "LINK#" + code);
    }
}
