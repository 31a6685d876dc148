package dev.kindling.aws.dynamodb;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The table as every store uses it: each request goes through here so one {@link CapacityMeter}
 * counts requests, the capacity DynamoDB reports, and the units AWS bills on demand.
 */
public final class MeteredTable {
    private final DynamoDbClient dynamo;
    private final String name;
    private final CapacityMeter meter = new CapacityMeter();

    public MeteredTable(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    public CapacityMeter meter() {
        return meter;
    }

    DynamoDbClient client() {
        return dynamo;
    }

    String name() {
        return name;
    }

    /** One item, or null; strongly consistent reads bill a unit per 4 KB, eventually consistent half that. */
    Map<String, AttributeValue> get(String pk, String sk, boolean consistent) {
        GetItemResponse response = dynamo.getItem(b -> b.tableName(name).key(key(pk, sk)).consistentRead(consistent)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.record(CapacityMeter.Kind.READ, response.consumedCapacity());
        boolean found = response.hasItem() && !response.item().isEmpty();
        meter.bill(CapacityMeter.Kind.READ, readUnits(found ? ItemSize.of(response.item()) : 0, consistent), consistent ? "get" : "get~", pk, sk);
        return found ? response.item() : null;
    }

    /**
     * Up to 100 items by key (strongly consistent if the keys say so), fetching again what DynamoDB left unprocessed. Each
     * key is billed as its own get: a key with no item as a get of nothing is, the least a read costs.
     */
    List<Map<String, AttributeValue>> batchGet(KeysAndAttributes keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        boolean consistent = Boolean.TRUE.equals(keys.consistentRead());
        String what = consistent ? "batchGet" : "batchGet~";
        Map<String, KeysAndAttributes> request = Map.of(name, keys);
        while (!request.isEmpty()) {
            Map<String, KeysAndAttributes> asking = request;
            var response = dynamo.batchGetItem(b -> b.requestItems(asking).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.record(CapacityMeter.Kind.READ, response.consumedCapacity());
            List<Map<String, AttributeValue>> got = response.responses().getOrDefault(name, List.of());
            got.forEach(item -> meter.bill(CapacityMeter.Kind.READ, readUnits(ItemSize.of(item), consistent), what, pkOf(item), skOf(item)));
            items.addAll(got);
            request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty() ? response.unprocessedKeys() : Map.of();
            // the keys asked that came back with nothing (not those left to ask again)
            java.util.Set<List<String>> answered = new java.util.HashSet<>();
            got.forEach(item -> answered.add(keyOf(item)));
            if (request.containsKey(name)) request.get(name).keys().forEach(key -> answered.add(keyOf(key)));
            for (Map<String, AttributeValue> key : asking.get(name).keys()) {
                if (!answered.contains(keyOf(key))) meter.bill(CapacityMeter.Kind.READ, readUnits(0, consistent), what, pkOf(key), skOf(key));
            }
        }
        return items;
    }

    QueryResponse query(Consumer<QueryRequest.Builder> request) {
        QueryRequest sent = QueryRequest.builder().tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .applyMutation(request).build();
        QueryResponse response = dynamo.query(sent);
        meter.record(CapacityMeter.Kind.READ, response.consumedCapacity());
        AttributeValue queried = sent.hasExpressionAttributeValues() ? sent.expressionAttributeValues().get(":pk") : null;
        boolean consistent = Boolean.TRUE.equals(sent.consistentRead());
        meter.bill(CapacityMeter.Kind.READ, readUnits(response.items().stream().mapToLong(ItemSize::of).sum(), consistent),
                (consistent ? "query" : "query~") + (sent.indexName() == null ? "" : "@" + sent.indexName()),
                queried != null ? queried.s() : response.items().isEmpty() ? null : pkOf(response.items().getFirst()),
                response.items().isEmpty() ? null : skOf(response.items().getFirst()));
        return response;
    }

    /** Every item the query finds, page after page, until the end or until {@code maxItems} have been read. */
    List<Map<String, AttributeValue>> queryAll(Consumer<QueryRequest.Builder> request, int maxItems) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = query(b -> {
                request.accept(b);
                if (from != null) b.exclusiveStartKey(from);
            });
            all.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() && all.size() < maxItems ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    /** All or nothing; a cancelled transaction is billed as if written, and rethrown for the caller to read its reasons. */
    void transact(List<TransactWriteItem> writes) {
        try {
            var response = dynamo.transactWriteItems(b -> b.transactItems(writes).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.record(CapacityMeter.Kind.WRITE, response.consumedCapacity());
        } catch (TransactionCanceledException cancelled) {
            meter.record(CapacityMeter.Kind.WRITE, (ConsumedCapacity) null);
            throw cancelled;
        } finally {
            for (TransactWriteItem w : writes) {
                long units = w.put() == null ? 2 : 2 * writeUnits(ItemSize.of(w.put().item())) + indexUnits(w.put().item());
                Map<String, AttributeValue> key = w.put() != null ? w.put().item() : w.update() != null ? w.update().key()
                        : w.delete() != null ? w.delete().key() : w.conditionCheck() != null ? w.conditionCheck().key() : Map.of();
                meter.bill(CapacityMeter.Kind.WRITE, units, "transact", pkOf(key), skOf(key));
            }
        }
    }

    /** Items one transaction may write (DynamoDB's limit). */
    static final int TRANSACTION_ITEMS = 100;

    /**
     * Updates all or nothing: one transaction (billed twice per item), several for more than {@value #TRANSACTION_ITEMS}
     * items (each all or nothing), and a plain update, billed once, for one.
     */
    void updateTogether(List<Update> updates) {
        for (int from = 0; from < updates.size(); from += TRANSACTION_ITEMS) {
            List<Update> part = updates.subList(from, Math.min(updates.size(), from + TRANSACTION_ITEMS));
            if (part.size() == 1) update(part.getFirst());
            else transact(part.stream().map(u -> TransactWriteItem.builder().update(u).build()).toList());
        }
    }

    /** The update as built for a transaction, made on its own. */
    void update(Update u) {
        update(b -> b.key(u.key()).updateExpression(u.updateExpression()).conditionExpression(u.conditionExpression())
                .expressionAttributeNames(u.hasExpressionAttributeNames() ? u.expressionAttributeNames() : null)
                .expressionAttributeValues(u.hasExpressionAttributeValues() ? u.expressionAttributeValues() : null));
    }

    /**
     * An update; throws ConditionalCheckFailedException when its condition fails. Returns the attributes the request asked
     * back (ReturnValues), else empty. Billed as AWS bills it: a unit per KB of the larger of the item before and after
     * (read back as the request's own ReturnValues, or the item before when it asked for none), and as much again when the
     * item is in the contacts index, whose copy the update rewrites.
     */
    Map<String, AttributeValue> update(Consumer<UpdateItemRequest.Builder> request) {
        UpdateItemRequest asked = UpdateItemRequest.builder().tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .applyMutation(request).build();
        boolean measuring = asked.returnValues() == null || asked.returnValues() == software.amazon.awssdk.services.dynamodb.model.ReturnValue.NONE;
        UpdateItemRequest sent = measuring ? asked.toBuilder().returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD).build() : asked;
        long units = 1;
        try {
            var response = dynamo.updateItem(sent);
            meter.record(CapacityMeter.Kind.WRITE, response.consumedCapacity());
            Map<String, AttributeValue> seen = response.hasAttributes() ? response.attributes() : Map.of();
            if (!seen.isEmpty()) units = writeUnits(ItemSize.of(seen)) + (seen.containsKey(KindlingTable.CPK) ? writeUnits(ItemSize.of(seen)) : 0);
            return measuring ? Map.of() : seen;
        } finally {
            meter.bill(CapacityMeter.Kind.WRITE, units, "update", pkOf(sent.key()), skOf(sent.key()));
        }
    }

    /** A put that replaces whatever the key held. */
    void put(Map<String, AttributeValue> item) {
        try {
            var response = dynamo.putItem(b -> b.tableName(name).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.record(CapacityMeter.Kind.WRITE, response.consumedCapacity());
        } finally {
            meter.bill(CapacityMeter.Kind.WRITE, writeUnits(ItemSize.of(item)) + indexUnits(item), "put", pkOf(item), skOf(item));
        }
    }

    /** A conditional put outside a transaction (billed once, not twice); false when its condition fails. */
    boolean putIf(Put.Builder builder) {
        Put put = builder.tableName(name).build();
        try {
            var response = dynamo.putItem(b -> b.tableName(name).item(put.item()).conditionExpression(put.conditionExpression())
                    .expressionAttributeValues(put.expressionAttributeValues().isEmpty() ? null : put.expressionAttributeValues())
                    .expressionAttributeNames(put.expressionAttributeNames().isEmpty() ? null : put.expressionAttributeNames())
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.record(CapacityMeter.Kind.WRITE, response.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException lost) {
            meter.record(CapacityMeter.Kind.WRITE, (ConsumedCapacity) null);
            return false;
        } finally {
            meter.bill(CapacityMeter.Kind.WRITE, writeUnits(ItemSize.of(put.item())) + indexUnits(put.item()), "putIf", pkOf(put.item()), skOf(put.item()));
        }
    }

    /**
     * Every item whose partition key starts with {@code pkPrefix} ("" for every item of the table), a page at a
     * time: a whole-table Scan, for what has no narrower way in (a shop's erasure, a check of the whole table).
     */
    public void scan(String pkPrefix, Consumer<List<Map<String, AttributeValue>>> eachPage) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = dynamo.scan(b -> {
                b.tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (!pkPrefix.isEmpty()) b.filterExpression("begins_with(pk, :p)").expressionAttributeValues(Map.of(":p", s(pkPrefix)));
                if (from != null) b.exclusiveStartKey(from);
            });
            meter.record(CapacityMeter.Kind.READ, page.consumedCapacity() == null ? List.of() : List.of(page.consumedCapacity()));
            eachPage.accept(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /**
     * One page of segment {@code segment} of a parallel scan ({@code segments} in all) of the items whose partition key
     * starts with {@code pkPrefix}, from {@code start} (null: the segment's beginning), at most {@code limit} items read.
     */
    ScanResponse scanPage(String pkPrefix, int segment, int segments, Map<String, AttributeValue> start, int limit) {
        var page = dynamo.scan(b -> {
            b.tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).segment(segment).totalSegments(segments).limit(limit)
                    .filterExpression("begins_with(pk, :p)").expressionAttributeValues(Map.of(":p", s(pkPrefix)));
            if (start != null) b.exclusiveStartKey(start);
        });
        meter.record(CapacityMeter.Kind.READ, page.consumedCapacity() == null ? List.of() : List.of(page.consumedCapacity()));
        return page;
    }

    /** Puts and deletes of small items (under 1 KB) in batches of 25, sending again what DynamoDB left unprocessed. */
    void writeAll(List<WriteRequest> writes) {
        for (int from = 0; from < writes.size(); from += 25) {
            List<WriteRequest> batch = writes.subList(from, Math.min(writes.size(), from + 25));
            Map<String, List<WriteRequest>> request = Map.of(name, batch);
            while (!request.isEmpty()) {
                Map<String, List<WriteRequest>> sending = request;
                var response = dynamo.batchWriteItem(b -> b.requestItems(sending).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                meter.record(CapacityMeter.Kind.WRITE, response.consumedCapacity());
                List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(name, List.of());
                int left = unprocessed.size();
                for (WriteRequest w : sending.get(name)) {
                    if (unprocessed.contains(w)) continue;
                    var written = w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key();
                    meter.bill(CapacityMeter.Kind.WRITE, 1, "batchWrite", pkOf(written), skOf(written));
                }
                request = response.hasUnprocessedItems() && left > 0 ? response.unprocessedItems() : Map.of();
            }
        }
    }

    /** Deletes one small item (under 1 KB) if {@code condition} holds of it; false when it does not. */
    boolean deleteIf(Map<String, AttributeValue> key, String condition, Map<String, AttributeValue> values) {
        try {
            var response = dynamo.deleteItem(b -> b.tableName(name).key(key).conditionExpression(condition).expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.record(CapacityMeter.Kind.WRITE, response.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException kept) {
            meter.record(CapacityMeter.Kind.WRITE, (ConsumedCapacity) null);
            return false;
        } finally {
            meter.bill(CapacityMeter.Kind.WRITE, 1, "deleteIf", pkOf(key), skOf(key));
        }
    }

    /** An item's key as its partition and sort key (either may be null). */
    private static List<String> keyOf(Map<String, AttributeValue> item) {
        return java.util.Arrays.asList(pkOf(item), skOf(item));
    }

    private static String skOf(Map<String, AttributeValue> item) {
        AttributeValue sk = item == null ? null : item.get(KindlingTable.SK);
        return sk == null ? null : sk.s();
    }

    private static String pkOf(Map<String, AttributeValue> item) {
        AttributeValue pk = item == null ? null : item.get(KindlingTable.PK);
        return pk == null ? null : pk.s();
    }

    static WriteRequest delete(String pk, String sk) {
        return WriteRequest.builder().deleteRequest(d -> d.key(key(pk, sk))).build();
    }

    TransactWriteItem put(Put.Builder put) {
        return TransactWriteItem.builder().put(put.tableName(name).build()).build();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(KindlingTable.PK, s(pk));
        key.put(KindlingTable.SK, s(sk));
        return key;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** {@code put} on condition that its item is still at {@code expectedVersion}, the version read (0: that it does not exist yet). */
    static Put.Builder atVersion(Put.Builder put, long expectedVersion) {
        if (expectedVersion == 0) return put.conditionExpression("attribute_not_exists(pk)");
        return put.conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", n(expectedVersion)));
    }

    /** An item in the contacts index is written there too, billed as a standard write (not doubled by a transaction). */
    static long indexUnits(Map<String, AttributeValue> item) {
        return item.containsKey(KindlingTable.CPK) ? writeUnits(ItemSize.of(item)) : 0;
    }

    static long writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    /** Reads bill per 4 KB, at least one unit (half for eventually consistent ones), even when nothing is found. */
    static double readUnits(long bytes, boolean consistent) {
        long units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2.0;
    }
}
