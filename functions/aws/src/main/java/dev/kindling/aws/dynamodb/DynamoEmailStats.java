package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.engagement.EmailStats;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** {@link EmailStats}: one partition per shop and day, one item per source/step/variant, one number per event type (ADD). */
public final class DynamoEmailStats implements EmailStats {
    private static final String NONE = "-";

    private final MeteredTable table;

    public DynamoEmailStats(MeteredTable table) {
        this.table = table;
    }

    @Override
    public void add(String shopId, LocalDate day, Key key, Map<String, Long> amounts) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        List<String> adds = new ArrayList<>();
        amounts.forEach((counter, amount) -> {
            int i = names.size();
            names.put("#e" + i, counter);
            values.put(":n" + i, n(amount));
            adds.add("#e" + i + " :n" + i);
        });
        table.update(b -> b.key(key(pk(shopId, day), sk(key))).updateExpression("ADD " + String.join(", ", adds))
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    @Override
    public List<Row> read(String shopId, LocalDate from, LocalDate to) {
        List<Row> rows = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            LocalDate d = day;
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> after = start;
                QueryResponse page = table.query(b -> {
                    b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk(shopId, d))));
                    if (after != null) b.exclusiveStartKey(after);
                });
                for (Map<String, AttributeValue> item : page.items()) {
                    String[] parts = item.get(KindlingTable.SK).s().split("#", 3);
                    Map<String, Long> counts = new TreeMap<>();
                    item.forEach((name, value) -> {
                        if (value.n() != null) counts.put(name, Long.parseLong(value.n()));
                    });
                    rows.add(new Row(d, new Key(parts[0], none(parts[1]), none(parts[2])), counts));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
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
