package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.eventbridge.EventBridgePublisher;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
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
 */
public final class LocalBus implements EventPublisher, AutoCloseable {
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
    private final java.util.concurrent.ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
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
    private final Map<String, LongAdder> invocations = new ConcurrentHashMap<>();
    private final Deque<ObjectNode> recent = new ArrayDeque<>();

    /**
     * @param rules   function name to its event patterns (JSON)
     * @param targets function name to its handler
     */
    public LocalBus(String busName, Map<String, List<String>> rules, Map<String, RequestStreamHandler> targets, Clock clock) {
        this.busName = busName;
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
        events.forEach(e -> put(EventBridgePublisher.entry(busName, e)));
    }

    /** Routes one PutEvents entry; returns the names of the functions it was delivered to. */
    public List<String> put(PutEventsRequestEntry entry) {
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
            invocations.computeIfAbsent(function, f -> new LongAdder()).increment();
            inFlight.incrementAndGet();
            deliver(function, handler, payload, 1);
        }
        return matched;
    }

    /**
     * Waits until every delivery has run, including those caused by events the functions published
     * (a delivery counts until its function returns, so a chain never looks finished halfway).
     */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(2);
        }
        return true;
    }

    /** Called with every event put on the bus, on the publisher's thread (the latency benchmark listens here). */
    public void listen(Consumer<ObjectNode> listener) {
        listeners.add(listener);
    }

    /** How many times each function was invoked by the bus so far (the cost benchmarks count them). */
    public Map<String, Long> invocations() {
        Map<String, Long> counts = new java.util.TreeMap<>();
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
    private void deliver(String function, RequestStreamHandler handler, byte[] payload, int attempt) {
        try {
            delivery.execute(() -> {
                boolean again = false;
                try {
                    LocalFunctions.invoke(handler, function, payload);
                } catch (Exception e) {
                    again = attempt < ATTEMPTS && !delivery.isShutdown();
                    System.err.println("[bus] " + function + " failed (attempt " + attempt + "): " + e
                            + (again ? "; retrying" : "; given up (on AWS: the function's dead-letter queue)"));
                }
                if (again) {
                    long pause = RETRY_BASE_MILLIS << (attempt - 1);
                    retries.schedule(() -> deliver(function, handler, payload, attempt + 1),
                            pause + java.util.concurrent.ThreadLocalRandom.current().nextLong(pause / 2 + 1), TimeUnit.MILLISECONDS);
                } else {
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
