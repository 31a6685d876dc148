package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kindling.event.Stored;
import dev.kindling.json.Json;
import dev.kindling.report.Ledger;
import dev.kindling.report.ReportStore;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ReportStore}: each person's ledger is an item beside their profile ({@code R}, not in the
 * contacts index); each aggregate group is one partition per shop ({@code S#<shop>#REPORT#<group>})
 * with one small item per day (sort key the ISO date, so a date range is one Query) and
 * {@code total} for a running total. A commit is one TransactWriteItems: the ledger at the version
 * read, and an ADD of every amount into its day's item; a ledger with no amounts to add is one conditional put, with
 * the counts its write decided on it for the table's stream to add ({@value #COUNTED}, {@link #addTogether}).
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

    /**
     * The ledger item's attribute holding the counts its write decided ({@link ReportStore#commit}'s {@code counted}), as
     * JSON: ReportFunction adds them from the table's stream ({@link TableStream}). A later write without counts drops it.
     */
    static final String COUNTED = "counted";

    @Override
    public boolean commit(String shopId, String contactId, long expectedVersion, Ledger next, List<Delta> deltas, List<Delta> counted) {
        Put.Builder ledger = ledgers.put(shopId, contactId, next, expectedVersion, List.of());
        if (!counted.isEmpty()) {
            Put put = ledger.build();
            Map<String, AttributeValue> item = new HashMap<>(put.item());
            item.put(COUNTED, AttributeValue.fromS(Json.write(counted)));
            ledger = put.toBuilder().item(item);
        }
        // the ledger alone (a touch, a session's activity and its counts): one conditional put, billed once; a transaction bills twice
        if (deltas.isEmpty()) return table.putIf(ledger);
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(table.put(ledger));
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

    /**
     * One transaction for the batch (billed twice per item, but an item per shop, group and day of the whole batch, where
     * each counted event or session was a write of its own): a failure leaves nothing added, and the batch is tried again.
     * Beyond {@value MeteredTable#TRANSACTION_ITEMS} aggregates (many shops and days in one batch) it goes in several, each all or nothing.
     */
    @Override
    public void addTogether(Map<String, List<Delta>> byShop) {
        record Aggregate(String shopId, String group, LocalDate day) {}
        Map<Aggregate, Map<String, BigDecimal>> sums = new LinkedHashMap<>();
        byShop.forEach((shopId, deltas) -> deltas.forEach(d -> d.amounts().forEach((name, amount) ->
                sums.computeIfAbsent(new Aggregate(shopId, d.group(), d.day()), k -> new TreeMap<>()).merge(name, amount, BigDecimal::add))));
        int shard = ThreadLocalRandom.current().nextInt(SHARDS); // one for the batch: a transaction may not touch an item twice
        List<Update> updates = new ArrayList<>();
        sums.forEach((a, amounts) -> updates.add(addition(a.shopId(), new Delta(a.group(), a.day(), amounts), shard)));
        table.updateTogether(updates);
    }

    @Override
    public void add(String shopId, Delta delta) {
        table.update(addition(shopId, delta, ThreadLocalRandom.current().nextInt(SHARDS)));
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
