package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;

import dev.kindling.journey.JourneyEntries;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/** {@link JourneyEntries}: one item per contact and journey beside the profile, written only when the last entry is old enough. */
public final class DynamoJourneyEntries implements JourneyEntries {
    private final MeteredTable table;

    public DynamoJourneyEntries(MeteredTable table) {
        this.table = table;
    }

    @Override
    public boolean enter(String shopId, String contactId, String journey, Instant at, Instant notBefore) {
        Map<String, AttributeValue> item = key(KindlingTable.contactPk(shopId, contactId), "JRN#" + journey);
        item.put("enteredAt", n(at.toEpochMilli()));
        return table.putIf(Put.builder().item(item).conditionExpression("attribute_not_exists(pk) OR enteredAt < :nb")
                .expressionAttributeValues(Map.of(":nb", n(notBefore.toEpochMilli()))));
    }

    @Override
    public void running(String shopId, String contactId, String journey, String execution, Instant at) {
        Map<String, AttributeValue> item = key(KindlingTable.contactPk(shopId, contactId), EXECUTION_PREFIX + journey + "#" + execution);
        item.put("startedAt", n(at.toEpochMilli()));
        table.putIf(Put.builder().item(item));
    }

    /** The sort key prefix of the contact's journey executions: {@code EXEC#<journey>#<execution name>}. */
    public static final String EXECUTION_PREFIX = "EXEC#";
}
