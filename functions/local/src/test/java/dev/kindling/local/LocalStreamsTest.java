package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.aws.dynamodb.KindlingTable;
import dev.kindling.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's stream delivered as Lambda's event source mapping delivers it, on DynamoDB Local's own stream: the template's
 * filter, batches of at most the mapping's size, a failed batch tried again before anything after it, and where the stream
 * was read to kept in the data folder.
 */
class LocalStreamsTest {
    static final String TABLE = "streams-test";
    /** The template's filter of StoredEventsMapping. */
    static final SamTemplate.StreamMapping STORED_EVENTS = SamTemplate.fromClasspath().streams().stream()
            .filter(m -> m.function().equals("ReportFunction")).findFirst().orElseThrow();

    EmbeddedDynamo dynamo;
    String streamArn;
    final List<JsonNode> batches = new ArrayList<>();

    @BeforeEach
    void table() {
        dynamo = EmbeddedDynamo.inMemory();
        KindlingTable.create(dynamo.client(), TABLE);
        streamArn = dynamo.client().describeTable(b -> b.tableName(TABLE)).table().latestStreamArn();
    }

    @AfterEach
    void close() throws Exception {
        dynamo.close();
    }

    final SettableClock clock = new SettableClock(java.time.Instant.parse("2026-11-20T15:00:00Z"));

    LocalStreams streams(RequestStreamHandler handler, int batchSize, Path checkpoints) {
        var mapping = new SamTemplate.StreamMapping("ReportFunction", STORED_EVENTS.filters(), batchSize);
        return new LocalStreams(dynamo.streamsClient(), streamArn, List.of(mapping), Map.of("ReportFunction", handler), checkpoints, clock);
    }

    RequestStreamHandler recording() {
        return (in, out, context) -> batches.add(Json.MAPPER.readTree(in));
    }

    void put(String sk, String event) {
        var item = new java.util.HashMap<String, AttributeValue>(Map.of("pk", AttributeValue.fromS("S#demo#C#c-1"), "sk", AttributeValue.fromS(sk)));
        if (event != null) item.put("event", AttributeValue.fromS(event));
        dynamo.client().putItem(b -> b.tableName(TABLE).item(item));
    }

    @Test
    void onlyEventItemsInsertedReachTheFunctionInBatchesOfTheMappingsSize() throws Exception {
        for (int i = 0; i < 5; i++) put("E#2026-11-20T15:1" + i + ":00.000Z#m-" + i, "{}");
        put("E#2026-11-20T15:10:00.000Z#m-0", "{\"again\":true}"); // the same event put again: a MODIFY, not stored anew
        put("P", null); // a profile: no event
        try (LocalStreams streams = streams(recording(), 2, null)) {
            assertThat(streams.drain()).as("records delivered: the five events inserted").isEqualTo(5);
            assertThat(batches).hasSize(3);
            List<String> keys = batches.stream().flatMap(b -> b.path("Records").valueStream())
                    .map(r -> r.path("dynamodb").path("Keys").path("sk").path("S").asText()).toList();
            assertThat(keys).hasSize(5).allMatch(k -> k.startsWith("E#"));
            JsonNode first = batches.getFirst().path("Records").get(0);
            assertThat(first.path("eventName").asText()).isEqualTo("INSERT");
            assertThat(first.path("eventSource").asText()).isEqualTo("aws:dynamodb");
            assertThat(first.path("dynamodb").path("NewImage").path("event").path("S").asText()).isEqualTo("{}");
            assertThat(streams.drain()).as("nothing new").isZero();
        }
    }

    @Test
    void aFailedBatchIsTriedAgainAndAStartOnTheSameFolderGoesOnWhereTheLastLeftOff(@TempDir Path folder) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RequestStreamHandler failsOnce = (in, out, context) -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("a fault the first time");
            batches.add(Json.MAPPER.readTree(in));
        };
        put("E#2026-11-20T15:00:00.000Z#m-0", "{}");
        try (LocalStreams streams = streams(failsOnce, 10, folder)) {
            streams.drain();
        }
        assertThat(calls).hasValue(2);
        assertThat(batches).hasSize(1);
        put("E#2026-11-20T15:01:00.000Z#m-1", "{}");
        try (LocalStreams again = streams(recording(), 10, folder)) {
            assertThat(again.drain()).as("only the record after the checkpoint").isEqualTo(1);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.getLast().path("Records").get(0).path("dynamodb").path("Keys").path("sk").path("S").asText()).endsWith("#m-1");
    }

    /** With a batching window (benchmarks), a batch goes when it is full or its first record has waited the window out. */
    @Test
    void aBatchingWindowGathersRecordsUntilItPassesOrTheBatchIsFull() throws Exception {
        try (LocalStreams streams = streams(recording(), 3, null)) {
            streams.batchingWindow(java.time.Duration.ofMinutes(1));
            put("E#2026-11-20T15:00:00.000Z#w-0", "{}");
            put("E#2026-11-20T15:00:01.000Z#w-1", "{}");
            assertThat(streams.drain()).as("waiting in the window").isZero();
            clock.advance(java.time.Duration.ofSeconds(30));
            put("E#2026-11-20T15:00:02.000Z#w-2", "{}");
            put("E#2026-11-20T15:00:03.000Z#w-3", "{}");
            assertThat(streams.drain()).as("a full batch goes at once").isEqualTo(3);
            clock.advance(java.time.Duration.ofSeconds(59));
            assertThat(streams.drain()).isZero();
            clock.advance(java.time.Duration.ofSeconds(1));
            assertThat(streams.drain()).as("its window passed").isEqualTo(1);
            put("E#2026-11-20T15:00:04.000Z#w-4", "{}");
            assertThat(streams.flush()).as("flushed whatever its window").isEqualTo(1);
        }
        assertThat(batches).extracting(b -> b.path("Records").size()).containsExactly(3, 1, 1);
    }

    /**
     * An item's attributes reach the function in DynamoDB's JSON; an empty map, which DynamoDB Local's stream hands back
     * with no type, is left out rather than stopping the stream.
     */
    @Test
    void everyKindOfAttributeIsHandedOverAsLambdaShapesIt() throws Exception {
        var item = new java.util.HashMap<String, AttributeValue>(Map.of("pk", AttributeValue.fromS("S#demo#C#c-1"),
                "sk", AttributeValue.fromS("E#2026-11-20T15:00:00.000Z#kinds"), "event", AttributeValue.fromS("{}")));
        item.put("empty", AttributeValue.fromL(List.of()));
        item.put("none", AttributeValue.fromM(Map.of()));
        item.put("nested", AttributeValue.fromM(Map.of("n", AttributeValue.fromN("1"), "ss", AttributeValue.fromSs(List.of("a")),
                "b", AttributeValue.fromBool(true), "nul", AttributeValue.fromNul(true))));
        dynamo.client().putItem(b -> b.tableName(TABLE).item(item));
        try (LocalStreams streams = streams(recording(), 10, null)) {
            assertThat(streams.drain()).isEqualTo(1);
        }
        JsonNode image = batches.getFirst().path("Records").get(0).path("dynamodb").path("NewImage");
        assertThat(image.path("empty").path("L").isArray()).as(image.toString()).isTrue();
        assertThat(image.has("none")).isFalse();
        assertThat(image.path("nested").path("M").path("n").path("N").asText()).isEqualTo("1");
        assertThat(image.path("nested").path("M").path("nul").path("NULL").asBoolean()).isTrue();
    }
}
