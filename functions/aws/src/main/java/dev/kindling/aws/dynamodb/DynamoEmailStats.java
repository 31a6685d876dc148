package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.engagement.EmailStats;
import dev.kindling.send.MessageStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link EmailStats}: one partition per shop and day, one item per source/step/variant, one number per event type (ADD);
 * and a journey's own counters (its entries and ends, each step's arrivals and exits) in one item per journey and day
 * ({@value #STEPS}, each number named {@code <step>|<counter>}), so the counters of a turn are one write.
 */
public final class DynamoEmailStats implements EmailStats {
    private static final String NONE = "-";
    /** The step part of the key of a journey's own counters' item (step ids are lower-case letters, digits and '-'). */
    static final String STEPS = "~steps";

    private final MeteredTable table;

    public DynamoEmailStats(MeteredTable table) {
        this.table = table;
    }

    @Override
    public void add(String shopId, LocalDate day, Key key, Map<String, Long> amounts) {
        table.update(addition(shopId, day, key, amounts));
    }

    private Update addition(String shopId, LocalDate day, Key key, Map<String, Long> amounts) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        List<String> adds = new ArrayList<>();
        amounts.forEach((counter, amount) -> {
            int i = names.size();
            names.put("#e" + i, counter);
            values.put(":n" + i, n(amount));
            adds.add("#e" + i + " :n" + i);
        });
        return Update.builder().tableName(table.name()).key(key(pk(shopId, day), sk(key))).updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    /**
     * One transaction for the batch: an item per shop, day and key of the whole batch (where each SES event was a write of
     * its own), billed twice; a failure adds nothing, and the batch is tried again. Beyond {@value
     * MeteredTable#TRANSACTION_ITEMS} items it goes in several, each all or nothing.
     */
    @Override
    public void addTogether(Map<String, List<MessageStore.Counted>> byShop) {
        record Item(String shopId, LocalDate day, Key key) {}
        Map<Item, Map<String, Long>> sums = new LinkedHashMap<>();
        byShop.forEach((shopId, counts) -> counts.forEach(c -> c.counts().forEach((counter, n) ->
                sums.computeIfAbsent(new Item(shopId, c.day(), new Key(c.source(), c.step(), c.variant())), k -> new TreeMap<>()).merge(counter, n, Long::sum))));
        List<Update> updates = new ArrayList<>();
        sums.forEach((item, counts) -> updates.add(addition(item.shopId(), item.day(), item.key(), counts)));
        table.updateTogether(updates);
    }

    /** The journey's own counters of every key together, one write per journey; the rest one write per key. */
    @Override
    public void addAll(String shopId, LocalDate day, Map<Key, Map<String, Long>> amounts) {
        Map<String, Map<String, Long>> journeys = new TreeMap<>();
        amounts.forEach((key, counts) -> {
            if (journeysOwn(key, counts)) {
                counts.forEach((counter, n) -> journeys.computeIfAbsent(key.source(), s -> new TreeMap<>()).merge(key.step() + "|" + counter, n, Long::sum));
            } else {
                add(shopId, day, key, counts);
            }
        });
        journeys.forEach((source, counts) -> add(shopId, day, new Key(source, STEPS, null), counts));
    }

    /** A journey's entries and ends (under the step {@code journey}), a step's arrivals and exits: no variant, no SES event. */
    private static boolean journeysOwn(Key key, Map<String, Long> counts) {
        return key.source().startsWith("journey:") && key.variant() == null && key.step() != null
                && (key.step().equals("journey") || counts.keySet().stream().allMatch(EmailStats::stepCounter));
    }

    @Override
    public List<Row> read(String shopId, LocalDate from, LocalDate to) {
        List<Row> rows = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            LocalDate d = day;
            Map<String, AttributeValue> start = null;
            Map<Key, Map<String, Long>> byKey = new LinkedHashMap<>();
            do {
                Map<String, AttributeValue> after = start;
                QueryResponse page = table.query(b -> {
                    b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk(shopId, d))));
                    if (after != null) b.exclusiveStartKey(after);
                });
                for (Map<String, AttributeValue> item : page.items()) {
                    String[] parts = item.get(KindlingTable.SK).s().split("#", 3);
                    item.forEach((name, value) -> {
                        if (value.n() == null) return;
                        long n = Long.parseLong(value.n());
                        if (!STEPS.equals(parts[1])) {
                            byKey.computeIfAbsent(new Key(parts[0], none(parts[1]), none(parts[2])), k -> new TreeMap<>()).merge(name, n, Long::sum);
                        } else {
                            // a journey's own counters, each under its step's row (beside the SES counts of its emails)
                            int bar = name.indexOf('|');
                            byKey.computeIfAbsent(new Key(parts[0], name.substring(0, bar), null), k -> new TreeMap<>()).merge(name.substring(bar + 1), n, Long::sum);
                        }
                    });
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            byKey.forEach((key, counts) -> rows.add(new Row(d, key, counts)));
        }
        return rows;
    }

    private static String pk(String shopId, LocalDate day) {
        return KindlingTable.shopPk(shopId, "STATS#" + day);
    }

    private static String sk(Key key) {
        return key.source() + "#" + (key.step() == null ? NONE : key.step()) + "#" + (key.variant() == null ? NONE : key.variant());
    }

    private static String none(String part) {
        return NONE.equals(part) ? null : part;
    }
}
