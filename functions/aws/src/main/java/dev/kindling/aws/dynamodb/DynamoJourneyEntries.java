package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.journey.JourneyEntries;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
        // the same entry again (a retried first turn, at the same instant) is no re-entry
        return table.putIf(Put.builder().item(item).conditionExpression("attribute_not_exists(pk) OR enteredAt < :nb OR enteredAt = :at")
                .expressionAttributeValues(Map.of(":nb", n(notBefore.toEpochMilli()), ":at", n(at.toEpochMilli()))));
    }

    @Override
    public Optional<Instant> lastEntered(String shopId, String contactId, String journey) {
        Map<String, AttributeValue> item = table.get(KindlingTable.contactPk(shopId, contactId), "JRN#" + journey, false);
        return item == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(item.get("enteredAt").n())));
    }

    @Override
    public void running(String shopId, String contactId, String journey, String execution, Instant at) {
        Map<String, AttributeValue> item = executionKey(shopId, contactId, journey, execution);
        item.put("startedAt", n(at.toEpochMilli()));
        table.putIf(Put.builder().item(item));
    }

    @Override
    public boolean recorded(String shopId, String contactId, String journey, String execution) {
        Map<String, AttributeValue> key = executionKey(shopId, contactId, journey, execution);
        return table.get(key.get(KindlingTable.PK).s(), key.get(KindlingTable.SK).s(), true) != null;
    }

    /** One query over the contact's {@code EXEC#} items (a few hundred bytes each: half a read unit for most people). */
    @Override
    public List<Started> startedSince(String shopId, String contactId, Instant since) {
        List<Started> started = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryAll(b -> b.keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
                .filterExpression("startedAt >= :since").expressionAttributeValues(Map.of(":pk", s(KindlingTable.contactPk(shopId, contactId)),
                        ":e", s(EXECUTION_PREFIX), ":since", n(since.toEpochMilli()))), Integer.MAX_VALUE)) {
            String rest = item.get("sk").s().substring(EXECUTION_PREFIX.length());
            int hash = rest.indexOf('#');
            AttributeValue listening = item.get("listening");
            started.add(new Started(rest.substring(0, hash), rest.substring(hash + 1), Instant.ofEpochMilli(Long.parseLong(item.get("startedAt").n())),
                    listening == null ? null : Json.read(listening.s(), Listening.class)));
        }
        return started;
    }

    /** One update of the execution's item (about 1 WCU): its token and what it waits for, as JSON. */
    @Override
    public void listen(String shopId, String contactId, String journey, String execution, Listening listening) {
        try {
            table.update(b -> b.key(executionKey(shopId, contactId, journey, execution)).updateExpression("SET listening = :l").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":l", s(Json.write(listening)))));
        } catch (ConditionalCheckFailedException erased) {
            // the person was erased (their executions were stopped with them): nothing to listen for
        }
    }

    @Override
    public void heard(String shopId, String contactId, String journey, String execution) {
        try {
            table.update(b -> b.key(executionKey(shopId, contactId, journey, execution)).updateExpression("REMOVE listening").conditionExpression("attribute_exists(pk)"));
        } catch (ConditionalCheckFailedException erased) {
            // nothing left to clear (an update would otherwise create the item)
        }
    }

    private static Map<String, AttributeValue> executionKey(String shopId, String contactId, String journey, String execution) {
        return key(KindlingTable.contactPk(shopId, contactId), EXECUTION_PREFIX + journey + "#" + execution);
    }

    /** The sort key prefix of the contact's journey executions: {@code EXEC#<journey>#<execution name>}. */
    public static final String EXECUTION_PREFIX = "EXEC#";
}
