package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.send.TextedNumbers;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/** {@link TextedNumbers} in one partition per shop, by number: one item of a few bytes per number texted. */
public final class DynamoTextedNumbers implements TextedNumbers {
    static final String PARTITION = "TEXTED";

    private final MeteredTable table;

    public DynamoTextedNumbers(MeteredTable table) {
        this.table = table;
    }

    @Override
    public void remember(String shopId, String number, String contactId) {
        Map<String, AttributeValue> item = key(pk(shopId), number);
        item.put("contactId", s(contactId));
        table.putIf(Put.builder().item(item));
    }

    @Override
    public Optional<String> contactOf(String shopId, String number) {
        return Optional.ofNullable(table.get(pk(shopId), number, false)).map(item -> item.get("contactId").s());
    }

    static String pk(String shopId) {
        return KindlingTable.shopPk(shopId, PARTITION);
    }
}
