package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.event.Stored;
import dev.kindling.report.Ledger;
import dev.kindling.report.ReportStore;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ReportStore}: each person's ledger is an item beside their profile ({@code R}, not in the
 * contacts index); each aggregate group is one partition per shop ({@code S#<shop>#REPORT#<group>})
 * with one small item per day (sort key the ISO date, so a date range is one Query) and
 * {@code total} for a running total. A commit is one TransactWriteItems: the ledger at the version
 * read, and an ADD of every amount into its day's item.
 */
public final class DynamoReportStore implements ReportStore {
    static final String LEDGER_SK = "R";
    private static final String TOTAL_SK = "total";

    private final MeteredTable table;
    private final ContactStateItems<Ledger> ledgers;

    public DynamoReportStore(MeteredTable table) {
        this.table = table;
        this.ledgers = new ContactStateItems<>(table, LEDGER_SK, new TypeReference<>() {}, Ledger.EMPTY, false);
    }

    @Override
    public Stored<Ledger> ledger(String shopId, String contactId) {
        return ledgers.read(shopId, contactId);
    }

    @Override
    public boolean commit(String shopId, String contactId, long expectedVersion, Ledger next, List<Delta> deltas) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(ledgers.put(shopId, contactId, next, expectedVersion, List.of())));
        for (Delta delta : deltas) writes.add(TransactWriteItem.builder().update(addition(shopId, delta)).build());
        try {
            table.transact(writes);
            return true;
        } catch (TransactionCanceledException lost) {
            // the ledger changed since it was read, or a concurrent transaction held a day's item: read again and retry
            return false;
        }
    }

    @Override
    public void add(String shopId, Delta delta) {
        Update u = addition(shopId, delta);
        table.update(b -> b.key(u.key()).updateExpression(u.updateExpression()).expressionAttributeNames(u.expressionAttributeNames())
                .expressionAttributeValues(u.expressionAttributeValues()));
    }

    private Update addition(String shopId, Delta delta) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, BigDecimal> amount : delta.amounts().entrySet()) {
            names.put("#a" + i, amount.getKey());
            values.put(":a" + i, AttributeValue.fromN(amount.getValue().toPlainString()));
            adds.add("#a" + i + " :a" + i);
            i++;
        }
        return Update.builder().tableName(table.name()).key(key(pk(shopId, delta.group()), sk(delta.day())))
                .updateExpression("ADD " + String.join(", ", adds)).expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    @Override
    public List<Row> days(String shopId, String group, LocalDate from, LocalDate to) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryAll(b -> b.keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(pk(shopId, group)), ":from", s(from.toString()), ":to", s(to.toString()))), Integer.MAX_VALUE)) {
            rows.add(new Row(LocalDate.parse(item.get(KindlingTable.SK).s()), amounts(item)));
        }
        return rows;
    }

    @Override
    public Map<String, BigDecimal> total(String shopId, String group) {
        Map<String, AttributeValue> item = table.get(pk(shopId, group), TOTAL_SK, false);
        return item == null ? Map.of() : amounts(item);
    }

    private static Map<String, BigDecimal> amounts(Map<String, AttributeValue> item) {
        Map<String, BigDecimal> amounts = new TreeMap<>();
        item.forEach((name, value) -> {
            if (value.n() != null) amounts.put(name, new BigDecimal(value.n()));
        });
        return amounts;
    }

    private static String pk(String shopId, String group) {
        return KindlingTable.shopPk(shopId, "REPORT#" + group);
    }

    private static String sk(LocalDate day) {
        return day == null ? TOTAL_SK : day.toString();
    }
}
