package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.send.TextedNumbers;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link TextedNumbers} in one partition per shop, by number: one item of a few bytes per number texted (1 WRU a text, 0.5 RRU a look). */
public final class DynamoTextedNumbers implements TextedNumbers {
    static final String PARTITION = "TEXTED";

    private final MeteredTable table;

    public DynamoTextedNumbers(MeteredTable table) {
        this.table = table;
    }

    @Override
    public void remember(String shopId, String number, String contactId, boolean marketing) {
        // an update, so a transactional text to the number keeps what the marketing flag says
        table.update(b -> b.key(key(pk(shopId), number))
                .updateExpression(marketing ? "SET contactId = :c, marketing = :t" : "SET contactId = :c")
                .expressionAttributeValues(marketing ? Map.of(":c", s(contactId), ":t", AttributeValue.fromBool(true)) : Map.of(":c", s(contactId))));
    }

    @Override
    public boolean marketingTexted(String shopId, String number) {
        Map<String, AttributeValue> item = table.get(pk(shopId), number, false);
        return item != null && item.containsKey("marketing") && item.get("marketing").bool();
    }

    @Override
    public Optional<String> contactOf(String shopId, String number) {
        return Optional.ofNullable(table.get(pk(shopId), number, false)).map(item -> item.get("contactId").s());
    }

    static String pk(String shopId) {
        return KindlingTable.shopPk(shopId, PARTITION);
    }
}
