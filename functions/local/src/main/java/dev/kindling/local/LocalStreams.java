package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.event.ruler.Machine;

/**
 * The table's stream as Lambda's event source mappings read it ({@link SamTemplate.StreamMapping}): each mapping's
 * function gets the records its filters pass (matched with AWS's own matcher, event-ruler, on the record as Lambda
 * shapes it), at most its batch size an invocation, as Lambda sends them ({@code {"Records": [...]}}), in the stream's
 * order; a batch that fails is tried again before anything after it, as Lambda does on a shard. Read every second,
 * and whenever {@link #drain} is called ({@link LocalBus#awaitQuiet} does: what a function wrote is counted
 * before the runtime looks quiet), each record delivered as it is read unless a benchmark set a batching window
 * ({@link #batchingWindow}). With a data folder, where each shard was read to is kept there, so a runtime started
 * again goes on from it (Lambda's checkpoint).
 */
final class LocalStreams implements AutoCloseable {
    /** Attempts at one batch before it is given up (on AWS: retried while the stream keeps it, then named in the queue). */
    static final int ATTEMPTS = 8;
    private static final long POLL_MILLIS = 1000;

    private record Mapping(SamTemplate.StreamMapping mapping, Machine filter, RequestStreamHandler handler, List<Waiting> waiting) {}

    /** A record a mapping's filter passed, and when the runtime read it (its batching window runs from then). */
    private record Waiting(ObjectNode record, Instant read) {}

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final List<Mapping> mappings = new ArrayList<>();
    private final Path checkpoints;
    private final Map<String, String> iterators = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-streams");
        t.setDaemon(true);
        return t;
    });

    private final Clock clock;
    /** The new image's attributes the mappings' filters name (null: a mapping without a filter takes every record). */
    private final Set<String> filtered;
    /** The sort keys the filters can pass (null: any). */
    private final List<java.util.function.Predicate<String>> sortKeys;
    /** How long a batch gathers records before it goes (none: at once); see {@link #batchingWindow}. */
    private volatile Duration window = Duration.ZERO;

    /** @param checkpoints where each shard's last record delivered is kept; null: in memory only */
    LocalStreams(DynamoDbStreamsClient streams, String streamArn, List<SamTemplate.StreamMapping> mappings,
                 Map<String, RequestStreamHandler> functions, Path checkpoints, Clock clock) {
        this.streams = streams;
        this.clock = clock;
        this.filtered = filtered(mappings);
        this.sortKeys = sortKeys(mappings);
        this.streamArn = streamArn;
        this.checkpoints = checkpoints;
        for (SamTemplate.StreamMapping m : mappings) {
            Machine filter = new Machine();
            try {
                for (String pattern : m.filters()) filter.addRule(m.function(), pattern);
            } catch (Exception e) {
                throw new IllegalArgumentException("the stream filter of " + m.function() + " is not a valid pattern: " + m.filters(), e);
            }
            RequestStreamHandler handler = functions.get(m.function());
            if (handler == null) throw new IllegalStateException("a stream mapping names " + m.function() + ", which the template does not define");
            this.mappings.add(new Mapping(m, filter, handler, new ArrayList<>()));
        }
    }

    void start() {
        poller.scheduleWithFixedDelay(() -> {
            try {
                drain();
            } catch (RuntimeException e) {
                System.err.println("[streams] " + e);
            }
        }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Lambda's batching window ({@code MaximumBatchingWindowInSeconds}) on the runtime's clock: a batch goes when it is full
     * or its first record has waited this long. Benchmarks set it, so a batch gathers what it would on AWS (the month's
     * simulation, at a hundredth of the reference shop's traffic, a hundred times the template's minute); at none (the
     * default) a record goes as it is read, and where the stream was read to is kept in the data folder. With a window,
     * records waiting in it are in memory only.
     */
    synchronized void batchingWindow(Duration window) {
        this.window = window;
    }

    /** Delivers every record in the stream whose batch is due (all of them with no window); returns how many it delivered. */
    synchronized int drain() {
        return drain(false);
    }

    /** Delivers every record read, whatever its window (the end of a benchmark's run). */
    synchronized int flush() {
        return drain(true);
    }

    private int drain(boolean all) {
        if (mappings.isEmpty()) return 0;
        int delivered = 0;
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String id = shard.shardId();
            if (finished.contains(id)) continue;
            while (true) {
                String iterator = iterators.computeIfAbsent(id, this::iterator);
                GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(iterator).limit(1000));
                if (page.nextShardIterator() == null) finished.add(id);
                iterators.put(id, page.nextShardIterator());
                if (page.records().isEmpty()) break;
                waitFor(page.records());
                delivered += deliverDue(all || window.isZero());
                if (window.isZero()) checkpoint(id, page.records().getLast().dynamodb().sequenceNumber());
                if (page.nextShardIterator() == null) break;
            }
        }
        return delivered + deliverDue(all || window.isZero());
    }

    /** Each mapping's filter applied: what passes waits for its batch. */
    private void waitFor(List<Record> records) {
        Instant now = clock.instant();
        for (Record r : records) {
            // matched on what the filters can look at (the change, the keys, the new image's attributes they name), and
            // only when its sort key is one a filter names: most records (bodies, profiles …) pass no filter, and shaping
            // them would be most of the runtime's work
            AttributeValue sk = r.dynamodb().keys().get("sk");
            if (sk != null && sk.s() != null && sortKeys != null && sortKeys.stream().noneMatch(k -> k.test(sk.s()))) continue;
            String matched = Json.write(lambdaRecord(r, filtered));
            ObjectNode whole = null;
            for (Mapping m : mappings) {
                try {
                    if (!m.mapping().filters().isEmpty() && m.filter().rulesForJSONEvent(matched).isEmpty()) continue;
                } catch (Exception e) {
                    throw new IllegalStateException("a stream record could not be matched: " + e.getMessage(), e);
                }
                if (whole == null) whole = lambdaRecord(r, null);
                m.waiting().add(new Waiting(whole, now));
            }
        }
    }

    /**
     * What the filters say of the sort key ({@code dynamodb.Keys.sk.S}: values and prefixes), one test a filter; null when
     * a mapping has no filter or a filter says nothing of it (every record is then matched whole).
     */
    private static List<java.util.function.Predicate<String>> sortKeys(List<SamTemplate.StreamMapping> mappings) {
        List<java.util.function.Predicate<String>> tests = new ArrayList<>();
        for (SamTemplate.StreamMapping m : mappings) {
            if (m.filters().isEmpty()) return null;
            for (String pattern : m.filters()) {
                JsonNode allowed = Json.read(pattern, JsonNode.class).path("dynamodb").path("Keys").path("sk").path("S");
                if (!allowed.isArray()) return null;
                List<java.util.function.Predicate<String>> any = new ArrayList<>();
                for (JsonNode a : allowed) {
                    if (a.isTextual()) any.add(a.asText()::equals);
                    else if (a.has("prefix")) any.add(k -> k.startsWith(a.get("prefix").asText()));
                    else return null;
                }
                tests.add(k -> any.stream().anyMatch(t -> t.test(k)));
            }
        }
        return tests;
    }

    /** The new image's attributes a filter names ({@code dynamodb.NewImage.<name>}); null when a mapping has no filter (it takes all). */
    private static Set<String> filtered(List<SamTemplate.StreamMapping> mappings) {
        Set<String> names = new HashSet<>();
        for (SamTemplate.StreamMapping m : mappings) {
            if (m.filters().isEmpty()) return null;
            for (String pattern : m.filters()) Json.read(pattern, JsonNode.class).path("dynamodb").path("NewImage").fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /** Invokes each mapping's function with its batches that are full or whose window has passed (every batch: all). */
    private int deliverDue(boolean all) {
        Instant due = clock.instant().minus(window);
        int delivered = 0;
        for (Mapping m : mappings) {
            List<Waiting> waiting = m.waiting();
            int size = m.mapping().batchSize();
            while (!waiting.isEmpty() && (all || waiting.size() >= size || !waiting.getFirst().read().isAfter(due))) {
                List<Waiting> batch = waiting.subList(0, Math.min(size, waiting.size()));
                ObjectNode payload = Json.object();
                ArrayNode records = payload.putArray("Records");
                batch.forEach(w -> records.add(w.record()));
                invoke(m, Json.write(payload).getBytes(StandardCharsets.UTF_8));
                delivered += batch.size();
                batch.clear();
            }
        }
        return delivered;
    }

    private void invoke(Mapping m, byte[] payload) {
        for (int attempt = 1; ; attempt++) {
            try {
                LocalFunctions.invoke(m.handler(), m.mapping().function(), payload);
                return;
            } catch (Exception e) {
                System.err.println("[streams] " + m.mapping().function() + " failed (attempt " + attempt + "): " + e
                        + (attempt < ATTEMPTS ? "; retrying the batch" : "; given up (on AWS: named in the failed-deliveries queue)"));
                if (attempt == ATTEMPTS) return;
                try {
                    Thread.sleep(LocalBus.RETRY_BASE_MILLIS << (attempt - 1));
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A record as Lambda hands it to a function (DynamoDB JSON for keys and images).
     *
     * @param only the new image's attributes to shape (null: every one)
     */
    private ObjectNode lambdaRecord(Record r, Set<String> only) {
        ObjectNode record = Json.object().put("eventID", r.eventID()).put("eventName", r.eventNameAsString())
                .put("eventVersion", r.eventVersion()).put("eventSource", "aws:dynamodb").put("awsRegion", LocalBus.REGION)
                .put("eventSourceARN", streamArn);
        ObjectNode change = record.putObject("dynamodb");
        if (r.dynamodb().approximateCreationDateTime() != null) {
            change.put("ApproximateCreationDateTime", r.dynamodb().approximateCreationDateTime().getEpochSecond());
        }
        change.set("Keys", image(r.dynamodb().keys()));
        if (r.dynamodb().hasNewImage()) {
            Map<String, AttributeValue> image = r.dynamodb().newImage();
            Map<String, AttributeValue> named = image;
            if (only != null) {
                named = new HashMap<>();
                for (String name : only) if (image.containsKey(name)) named.put(name, image.get(name));
            }
            change.set("NewImage", image(named));
        }
        if (r.dynamodb().hasOldImage()) change.set("OldImage", image(r.dynamodb().oldImage()));
        change.put("SequenceNumber", r.dynamodb().sequenceNumber()).put("SizeBytes", r.dynamodb().sizeBytes())
                .put("StreamViewType", r.dynamodb().streamViewTypeAsString());
        return record;
    }

    /**
     * The image in DynamoDB's JSON. DynamoDB Local's stream hands an empty map back with no type at all: such an attribute
     * is left out (on AWS it arrives as {@code {"M": {}}}); no filter or function here reads one.
     */
    private static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode out = Json.object();
        item.forEach((name, value) -> {
            if (value.type() != AttributeValue.Type.UNKNOWN_TO_SDK_VERSION) out.set(name, value(value));
        });
        return out;
    }

    private static ObjectNode value(AttributeValue v) {
        ObjectNode out = Json.object();
        switch (v.type()) {
            case S -> out.put("S", v.s());
            case N -> out.put("N", v.n());
            case B -> out.put("B", base64(v.b()));
            case BOOL -> out.put("BOOL", v.bool());
            case NUL -> out.put("NULL", true);
            case SS -> v.ss().forEach(out.putArray("SS")::add);
            case NS -> v.ns().forEach(out.putArray("NS")::add);
            case BS -> {
                ArrayNode bs = out.putArray("BS");
                v.bs().forEach(b -> bs.add(base64(b)));
            }
            case L -> {
                ArrayNode l = out.putArray("L");
                v.l().stream().filter(e -> e.type() != AttributeValue.Type.UNKNOWN_TO_SDK_VERSION).forEach(e -> l.add(value(e)));
            }
            case M -> out.set("M", image(v.m()));
            default -> throw new IllegalArgumentException("an attribute of unknown type in the stream: " + v);
        }
        return out;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }

    /** Where a shard is read from: after the last record delivered (kept in the data folder), or its start. */
    private String iterator(String shardId) {
        String after = checkpoints == null ? null : read(checkpoints.resolve(shardId));
        return streams.getShardIterator(b -> {
            b.streamArn(streamArn).shardId(shardId);
            if (after != null) b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            else b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }).shardIterator();
    }

    private void checkpoint(String shardId, String sequenceNumber) {
        if (checkpoints == null) return;
        try {
            Files.createDirectories(checkpoints);
            Path next = checkpoints.resolve(shardId + ".next");
            Files.writeString(next, sequenceNumber);
            Files.move(next, checkpoints.resolve(shardId), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep where the stream was read to in " + checkpoints, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        poller.shutdownNow();
        poller.awaitTermination(5, TimeUnit.SECONDS);
    }
}
