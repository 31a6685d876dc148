package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;

import dev.kindling.send.SendRate;
import java.util.Map;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The account's next free send slot as one item: a compare-and-set is one conditional update, and
 * a lost race returns the value that won (ReturnValuesOnConditionCheckFailure), so no extra read.
 */
public final class DynamoSendSlots implements SendRate.Slots {
    /** The account's SES rate. */
    public static final String EMAIL = "SES#RATE";
    /** The origination identity's texts a second (End User Messaging's MPS). */
    public static final String TEXTS = "SMS#RATE";
    private static final String SK = "SLOT";

    private final MeteredTable table;
    private final String pk;

    public DynamoSendSlots(MeteredTable table) {
        this(table, EMAIL);
    }

    public DynamoSendSlots(MeteredTable table, String pk) {
        this.table = table;
        this.pk = pk;
    }

    @Override
    public OptionalLong compareAndSet(Long expected, long next) {
        try {
            table.update(b -> {
                b.key(key(pk, SK)).updateExpression("SET #n = :next")
                        .expressionAttributeNames(Map.of("#n", "next"))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
                if (expected == null) b.conditionExpression("attribute_not_exists(pk)").expressionAttributeValues(Map.of(":next", n(next)));
                else b.conditionExpression("#n = :expected").expressionAttributeValues(Map.of(":next", n(next), ":expected", n(expected)));
            });
            return OptionalLong.empty();
        } catch (ConditionalCheckFailedException lost) {
            var item = lost.hasItem() ? lost.item() : null;
            if (item == null || !item.containsKey("next")) {
                // DynamoDB implementations without the returned item: read it
                var current = table.get(pk, SK, true);
                return OptionalLong.of(current == null ? -1 : Long.parseLong(current.get("next").n()));
            }
            return OptionalLong.of(Long.parseLong(item.get("next").n()));
        }
    }
}
