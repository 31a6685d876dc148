package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.imports.ImportFormat;
import dev.kindling.imports.ImportStatus;
import dev.kindling.imports.ImportStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link ImportStore}: one item per import in the shop's {@code IMPORTS} partition, sorted by id (which starts with the
 * time it started). Batches running at once add their counts with {@code ADD} (one write unit each, no read), and their
 * problems with {@code list_append} while fewer than {@link ImportStatus#PROBLEMS_KEPT} are kept.
 */
public final class DynamoImportStore implements ImportStore {
    private final MeteredTable table;

    public DynamoImportStore(MeteredTable table) {
        this.table = table;
    }

    private static String pk(String shopId) {
        return KindlingTable.shopPk(shopId, "IMPORTS");
    }

    @Override
    public void started(String shopId, ImportStatus status) {
        Map<String, AttributeValue> item = key(pk(shopId), status.id());
        item.put("format", s(status.format().wireName()));
        item.put("name", s(status.name()));
        item.put("state", s(status.state().name()));
        item.put("startedAt", s(status.startedAt().toString()));
        for (String counter : List.of("read", "imported", "merged", "unchanged", "skipped")) item.put(counter, n(0));
        table.put(item);
    }

    @Override
    public void total(String shopId, String importId, long total) {
        table.update(b -> b.key(key(pk(shopId), importId)).updateExpression("SET #t = :t")
                .expressionAttributeNames(Map.of("#t", "total")).expressionAttributeValues(Map.of(":t", n(total))));
    }

    @Override
    public void add(String shopId, String importId, ImportStatus.Tally tally) {
        Map<String, String> names = Map.of("#r", "read", "#i", "imported", "#m", "merged", "#u", "unchanged", "#s", "skipped");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":r", n(tally.read()), ":i", n(tally.imported()), ":m", n(tally.merged()),
                ":u", n(tally.unchanged()), ":s", n(tally.skipped())));
        String add = "ADD #r :r, #i :i, #m :m, #u :u, #s :s";
        if (!tally.problems().isEmpty()) {
            Map<String, AttributeValue> withProblems = new HashMap<>(values);
            withProblems.put(":p", AttributeValue.fromL(tally.problems().stream().map(p -> AttributeValue.fromM(Map.of(
                    "line", n(p.line()), "reason", s(p.reason())))).toList()));
            withProblems.put(":none", AttributeValue.fromL(List.of()));
            withProblems.put(":kept", n(ImportStatus.PROBLEMS_KEPT));
            Map<String, String> withNames = new HashMap<>(names);
            withNames.put("#p", "problems");
            try {
                table.update(b -> b.key(key(pk(shopId), importId))
                        .updateExpression(add + " SET #p = list_append(if_not_exists(#p, :none), :p)")
                        .conditionExpression("attribute_not_exists(#p) OR size(#p) < :kept")
                        .expressionAttributeNames(withNames).expressionAttributeValues(withProblems));
                return;
            } catch (ConditionalCheckFailedException enoughKept) {
                // the first problems are kept; these are only counted
            }
        }
        table.update(b -> b.key(key(pk(shopId), importId)).updateExpression(add).expressionAttributeNames(names).expressionAttributeValues(values));
    }

    @Override
    public void finished(String shopId, String importId, ImportStatus.State state, String error, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":st", s(state.name()), ":at", s(at.toString())));
        String set = "SET #st = :st, finishedAt = :at";
        if (error != null) {
            values.put(":e", s(error.length() > 500 ? error.substring(0, 500) : error));
            set += ", #e = :e";
        }
        Map<String, String> names = error != null ? Map.of("#st", "state", "#e", "error") : Map.of("#st", "state");
        String expression = set;
        table.update(b -> b.key(key(pk(shopId), importId)).updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values));
    }

    @Override
    public Optional<ImportStatus> get(String shopId, String importId) {
        return Optional.ofNullable(table.get(pk(shopId), importId, true)).map(DynamoImportStore::status);
    }

    @Override
    public List<ImportStatus> recent(String shopId, int limit) {
        var page = table.query(b -> b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(pk(shopId))))
                .scanIndexForward(false).limit(limit));
        return page.items().stream().map(DynamoImportStore::status).toList();
    }

    private static ImportStatus status(Map<String, AttributeValue> item) {
        List<ImportStatus.Problem> problems = new ArrayList<>();
        if (item.containsKey("problems")) {
            for (AttributeValue p : item.get("problems").l()) {
                problems.add(new ImportStatus.Problem(Integer.parseInt(p.m().get("line").n()), p.m().get("reason").s()));
            }
        }
        ImportStatus.Tally tally = new ImportStatus.Tally(number(item, "read"), number(item, "imported"), number(item, "merged"), number(item, "unchanged"),
                number(item, "skipped"), problems.stream().limit(ImportStatus.PROBLEMS_KEPT).toList());
        return new ImportStatus(item.get("sk").s(), ImportFormat.of(item.get("format").s()).orElseThrow(), item.get("name").s(),
                ImportStatus.State.valueOf(item.get("state").s()), Instant.parse(item.get("startedAt").s()),
                item.containsKey("finishedAt") ? Instant.parse(item.get("finishedAt").s()) : null,
                item.containsKey("total") ? Long.parseLong(item.get("total").n()) : null, tally,
                item.containsKey("error") ? item.get("error").s() : null);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Long.parseLong(item.get(name).n()) : 0;
    }
}
