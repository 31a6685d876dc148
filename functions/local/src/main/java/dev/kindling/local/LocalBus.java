package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.eventbridge.EventBridgePublisher;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.privacy.FailedDeliveries;
import dev.kindling.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.event.ruler.Machine;

/**
 * The event bus in process: each published event is wrapped as EventBridge delivers it
 * (version, id, source, detail-type, time, detail …), matched against the template's rule patterns
 * with AWS's own matcher (event-ruler), and handed to the matching functions — asynchronously, as
 * EventBridge does. The most recent events are kept for {@code GET /local/events}.
 *
 * <p>With a data folder, an accepted event is as durable as PutEvents' answer makes it on AWS: each
 * delivery is written to the folder before {@link #put} returns and removed when its function has
 * taken it (or has failed every attempt: then it moves to {@code dead-letters/}, the dead-letter
 * queue's place). A runtime killed and started again on the folder delivers what was left
 * ({@link #redeliver}); a delivery can so arrive twice, as on AWS, and the functions are idempotent.
 */
public final class LocalBus implements EventPublisher, FailedDeliveries, AutoCloseable {
    static final int KEPT = 1000;
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";

    private final Machine machine = new Machine();
    private final Map<String, RequestStreamHandler> targets;
    private final String busName;
    private final Clock clock;
    /** Several deliveries at once, as Lambda runs concurrent invocations: the functions' optimistic writes are exercised here too. */
    static final int ATTEMPTS = 8;
    static final long RETRY_BASE_MILLIS = 100;
    /** Holds retries until their time; the delivery threads stay free meanwhile. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-bus-retries");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService delivery = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "local-bus");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong inFlight = new AtomicLong();
    private final List<Consumer<ObjectNode>> listeners = new CopyOnWriteArrayList<>();
    private final List<IntSupplier> drains = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> invocations = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private final Path journal;
    private final AtomicLong journalSequence = new AtomicLong();
    private final LongAdder deadLetters = new LongAdder();
    private final Map<String, LongAdder> puts = new ConcurrentHashMap<>();

    /**
     * @param rules   function name to its event patterns (JSON)
     * @param targets function name to its handler
     */
    public LocalBus(String busName, Map<String, List<String>> rules, Map<String, RequestStreamHandler> targets, Clock clock) {
        this(busName, rules, targets, clock, null);
    }

    /** @param journal where deliveries wait until their function has taken them; null: in memory only */
    public LocalBus(String busName, Map<String, List<String>> rules, Map<String, RequestStreamHandler> targets, Clock clock, Path journal) {
        this.busName = busName;
        this.journal = journal;
        if (journal != null) {
            try {
                Files.createDirectories(journal);
                journalSequence.set(left().stream().mapToLong(LocalBus::sequenceOf).max().orElse(0));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep deliveries in " + journal, e);
            }
        }
        this.targets = targets;
        this.clock = clock;
        addRules(rules);
    }

    /** Adds each function's event patterns; an invalid pattern stops the runtime at start, as it would fail deployment. */
    public void addRules(Map<String, List<String>> rules) {
        rules.forEach((function, patterns) -> patterns.forEach(pattern -> {
            try {
                machine.addRule(function, pattern);
            } catch (Exception e) {
                throw new IllegalArgumentException("rule of " + function + " is not a valid event pattern: " + pattern, e);
            }
        }));
    }

    @Override
    public void publish(List<BusEvent> events) {
        // split and refused by size as EventBridge would take them
        BusEvent.requests(events).forEach(request -> request.forEach(e -> put(EventBridgePublisher.entry(busName, e))));
    }

    /** Routes one PutEvents entry; returns the names of the functions it was delivered to. */
    public List<String> put(PutEventsRequestEntry entry) {
        puts.computeIfAbsent(entry.source(), k -> new LongAdder()).increment();
        ObjectNode envelope = Json.object()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", entry.detailType())
                .put("source", entry.source())
                .put("account", ACCOUNT)
                .put("time", (entry.time() != null ? entry.time() : clock.instant()).toString())
                .put("region", REGION);
        envelope.putArray("resources");
        envelope.set("detail", Json.read(entry.detail(), ObjectNode.class));
        synchronized (recent) {
            recent.addFirst(envelope);
            if (recent.size() > KEPT) recent.removeLast();
        }
        listeners.forEach(l -> l.accept(envelope));
        List<String> matched;
        try {
            matched = machine.rulesForJSONEvent(Json.write(envelope)).stream().map(Object::toString).distinct().toList();
        } catch (Exception e) {
            throw new IllegalStateException("event could not be matched: " + e.getMessage(), e);
        }
        for (String function : matched) {
            RequestStreamHandler handler = targets.get(function);
            if (handler == null) continue;
            byte[] payload = Json.write(envelope).getBytes(StandardCharsets.UTF_8);
            if (delivery.isShutdown()) continue; // the runtime is stopping
            send(function, payload, writeDown(function, payload));
        }
        return matched;
    }

    /**
     * Delivers what a previous run of the runtime left in the data folder (in the order it was put), as
     * the event bus and Lambda's queue keep an accepted event through any outage; returns how many.
     */
    public int redeliver() throws IOException {
        if (journal == null) return 0;
        List<Path> left = left();
        for (Path file : left) {
            JsonNode entry = Json.read(Files.readString(file), JsonNode.class);
            send(entry.path("function").asText(), Json.write(entry.path("event")).getBytes(StandardCharsets.UTF_8), file);
        }
        return left.size();
    }

    private List<Path> left() throws IOException {
        try (var files = Files.list(journal)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Deliveries given up after every attempt (on AWS: messages in the function's dead-letter queue). */
    public long deadLetters() {
        return deadLetters.sum();
    }

    private void send(String function, byte[] payload, Path written) {
        RequestStreamHandler handler = targets.get(function);
        if (handler == null) return;
        invocations.computeIfAbsent(function, f -> new LongAdder()).increment();
        inFlight.incrementAndGet();
        deliver(function, handler, payload, 1, written);
    }

    private Path writeDown(String function, byte[] payload) {
        if (journal == null) return null;
        ObjectNode entry = Json.object().put("function", function);
        entry.set("event", Json.read(new String(payload, StandardCharsets.UTF_8), JsonNode.class));
        Path file = journal.resolve(String.format("%019d-%s.json", journalSequence.incrementAndGet(), function));
        try {
            Path next = journal.resolve(file.getFileName() + ".next");
            Files.writeString(next, Json.write(entry));
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a delivery in " + journal, e);
        }
    }

    /**
     * An erasure: the dead letters (on AWS the failed-deliveries queue) that name the person are deleted, and so are the
     * latest events {@code GET /local/events} shows; how many dead letters went.
     */
    @Override
    public int purge(Collection<String> naming) {
        synchronized (recent) {
            recent.removeIf(event -> naming.stream().anyMatch(Json.write(event)::contains));
        }
        if (journal == null || !Files.isDirectory(journal.resolve("dead-letters"))) return 0;
        int purged = 0;
        try (var files = Files.list(journal.resolve("dead-letters"))) {
            for (Path file : files.toList()) {
                String kept = Files.readString(file);
                if (naming.stream().anyMatch(kept::contains) && Files.deleteIfExists(file)) purged++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dead letters in " + journal, e);
        }
        return purged;
    }

    /** The delivery has been taken (or given up): its file goes (to the dead letters when given up). */
    private void settled(Path written, boolean delivered) {
        if (!delivered) deadLetters.increment();
        if (written == null) return;
        try {
            if (delivered) {
                Files.deleteIfExists(written);
            } else {
                Path dead = Files.createDirectories(journal.resolve("dead-letters"));
                Files.move(written, dead.resolve(written.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("[bus] could not settle " + written + ": " + e);
        }
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('-')));
    }

    /**
     * Waits until every delivery has run, including those caused by events the functions published
     * (a delivery counts until its function returns, so a chain never looks finished halfway), and what the
     * table's stream holds has been delivered ({@link #quietAlso}).
     */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            while (inFlight.get() > 0) {
                if (System.nanoTime() > deadline) return false;
                Thread.sleep(2);
            }
            // what the functions wrote is read from the table's stream too, before the runtime counts as quiet
            int read = 0;
            for (IntSupplier drain : drains) read += drain.getAsInt();
            if (read == 0 && inFlight.get() == 0) return true;
        }
    }

    /** Also waited for by {@link #awaitQuiet}: delivers what is waiting elsewhere (the table's stream) and says how much. */
    void quietAlso(IntSupplier drain) {
        drains.add(drain);
    }

    /** Called with every event put on the bus, on the publisher's thread (the latency benchmark listens here). */
    public void listen(Consumer<ObjectNode> listener) {
        listeners.add(listener);
    }

    /** How many events were put on the bus so far, by source (AWS services' own events on the default bus are free; ours are billed). */
    public Map<String, Long> puts() {
        Map<String, Long> counts = new TreeMap<>();
        puts.forEach((s, n) -> counts.put(s, n.sum()));
        return counts;
    }

    /** How many times each function was invoked by the bus so far (the cost benchmarks count them). */
    public Map<String, Long> invocations() {
        Map<String, Long> counts = new TreeMap<>();
        invocations.forEach((f, n) -> counts.put(f, n.sum()));
        return counts;
    }

    public List<ObjectNode> recent(int limit) {
        synchronized (recent) {
            return new ArrayList<>(recent).subList(0, Math.min(limit, recent.size()));
        }
    }

    /**
     * One delivery attempt; a function that fails is called again later, as EventBridge retries an
     * asynchronous invocation with backoff (for up to 24 hours there, then the dead-letter queue):
     * here up to {@value #ATTEMPTS} attempts, 100 ms doubling to about 13 s apart. The delivery counts as
     * in flight until it succeeds or is given up, so {@link #awaitQuiet} waits for the retries too.
     */
    private void deliver(String function, RequestStreamHandler handler, byte[] payload, int attempt, Path written) {
        try {
            delivery.execute(() -> {
                boolean again = false;
                boolean delivered = false;
                try {
                    LocalFunctions.invoke(handler, function, payload);
                    delivered = true;
                } catch (Exception e) {
                    again = attempt < ATTEMPTS && !delivery.isShutdown();
                    System.err.println("[bus] " + function + " failed (attempt " + attempt + "): " + e
                            + (again ? "; retrying" : delivery.isShutdown() ? "; the runtime is stopping"
                            : "; given up (on AWS: the function's dead-letter queue)"));
                }
                if (again) {
                    long pause = RETRY_BASE_MILLIS << (attempt - 1);
                    retries.schedule(() -> deliver(function, handler, payload, attempt + 1, written),
                            pause + ThreadLocalRandom.current().nextLong(pause / 2 + 1), TimeUnit.MILLISECONDS);
                } else {
                    // a delivery cut short by the runtime stopping stays written down for the next start
                    if (delivered || !delivery.isShutdown()) settled(written, delivered);
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException stopping) {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() throws InterruptedException {
        retries.shutdownNow();
        delivery.shutdown();
        delivery.awaitTermination(5, TimeUnit.SECONDS);
    }
}
