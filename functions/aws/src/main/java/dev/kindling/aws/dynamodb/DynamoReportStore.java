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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
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

    /**
     * Groups whose day items nearly every counted event adds to (the shop's orders, sessions, carts, events …): each
     * request adds to one of {@value #SHARDS} items of the day, chosen at random, and reads sum them. One item takes at
     * most 1,000 write units a second; a sale's second of 2,000 events put 2,378 on the shop's day item
     * (bin/bench-sale-hour, docs/benchmarks.md), and a transaction that meets another on the item is cancelled and
     * tried again.
     */
    static final Set<String> SHARDED = Set.of("shop", "events");
    static final int SHARDS = 8;

    @Override
    public boolean commit(String shopId, String contactId, long expectedVersion, Ledger next, List<Delta> deltas) {
        // the ledger alone (a touch, a session's activity): one conditional put, billed once; a transaction bills twice
        if (deltas.isEmpty()) return table.putIf(ledgers.put(shopId, contactId, next, expectedVersion, List.of()));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(ledgers.put(shopId, contactId, next, expectedVersion, List.of())));
        int shard = ThreadLocalRandom.current().nextInt(SHARDS); // one per request: a transaction may not touch an item twice
        for (Delta delta : deltas) writes.add(TransactWriteItem.builder().update(addition(shopId, delta, shard)).build());
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
        Update u = addition(shopId, delta, ThreadLocalRandom.current().nextInt(SHARDS));
        table.update(b -> b.key(u.key()).updateExpression(u.updateExpression()).expressionAttributeNames(u.expressionAttributeNames())
                .expressionAttributeValues(u.expressionAttributeValues()));
    }

    private Update addition(String shopId, Delta delta, int shard) {
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
        String group = delta.day() != null && SHARDED.contains(delta.group()) ? shard(delta.group(), shard) : delta.group();
        return Update.builder().tableName(table.name()).key(key(pk(shopId, group), sk(delta.day())))
                .updateExpression("ADD " + String.join(", ", adds)).expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    @Override
    public List<Row> days(String shopId, String group, LocalDate from, LocalDate to) {
        if (!SHARDED.contains(group)) return unsharded(shopId, group, from, to);
        // the shards of each day summed (and the group's own items, kept before it was sharded)
        Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
        List<String> parts = new ArrayList<>(List.of(group));
        for (int i = 0; i < SHARDS; i++) parts.add(shard(group, i));
        for (String part : parts) {
            for (Row row : unsharded(shopId, part, from, to)) {
                Map<String, BigDecimal> sum = byDay.computeIfAbsent(row.day(), d -> new TreeMap<>());
                row.amounts().forEach((name, amount) -> sum.merge(name, amount, BigDecimal::add));
            }
        }
        List<Row> rows = new ArrayList<>();
        byDay.forEach((day, amounts) -> rows.add(new Row(day, amounts)));
        return rows;
    }

    private List<Row> unsharded(String shopId, String group, LocalDate from, LocalDate to) {
        List<Row> rows = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryAll(b -> b.keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(pk(shopId, group)), ":from", s(from.toString()), ":to", s(to.toString()))), Integer.MAX_VALUE)) {
            rows.add(new Row(LocalDate.parse(item.get(KindlingTable.SK).s()), amounts(item)));
        }
        return rows;
    }

    private static String shard(String group, int shard) {
        return group + "~" + shard;
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
