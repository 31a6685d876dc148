package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.journey.asl.AslError;
import dev.kindling.journey.asl.Execution;
import dev.kindling.journey.asl.Interpreter;
import dev.kindling.journey.asl.StateMachine;
import dev.kindling.journey.flow.Flow;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The journey engine of the local runtime: the template's state machines (the same ASL files Step
 * Functions runs, with their DefinitionSubstitutions pointing at the local functions), executions
 * deduplicated by name, Wait states kept by the runtime's clock: real, accelerated, or moved by a
 * test (which then calls {@link #runDue()}).
 *
 * <p>With a data folder every execution is written down, as Step Functions keeps its history: when it
 * starts (before StartExecution answers) and after every run up to a wait or its end, one file per
 * execution, replaced atomically. A runtime killed and started again on the folder reads them back and
 * goes on: waiting executions when their time comes, and one that was running re-runs the state it was
 * in, as Step Functions retries a Task whose worker vanished (the tasks are idempotent for that reason).
 */
public final class LocalJourneys implements JourneyLauncher, AutoCloseable {
    private final Map<String, StateMachine> machines = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, RequestStreamHandler> functions;
    private final Clock clock;
    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer;
    private final AtomicInteger running = new AtomicInteger();
    /** Executions queued for a run and not yet begun: the timer, every 100 ms, queues an execution whose wait is over once, not again while it waits for a worker. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Path folder;
    /** Scheduled turns to come (EventBridge Scheduler's one-time schedules on AWS), by execution name; kept in the data folder as {@code <name>.start}. */
    private final Map<String, ScheduledStart> scheduled = new ConcurrentHashMap<>();

    /**
     * @param turn     the entry's scheduled turn it takes: 0 its first ({@link #startAt}), then 1, 2 … ({@link #nextTurnAt})
     * @param attempts the invocations of it that failed so far (Lambda retries an asynchronous invocation twice)
     */
    private record ScheduledStart(String journey, String name, JsonNode input, Instant at, int turn, int attempts) {}

    /** As Lambda's asynchronous invocation: a failed scheduled turn is tried again a minute later, then two, then given up. */
    static final int TURN_ATTEMPTS = 3;

    /** Starts that came due and fired (each an EventBridge Scheduler invocation on AWS), since this engine began. */
    private final java.util.concurrent.atomic.AtomicLong startsFired = new java.util.concurrent.atomic.AtomicLong();
    /** What each entry's latest scheduled turn answered ({@code FlowSteps#onSchedule}: the state handed on, or how it ended), by name. */
    private final Map<String, JsonNode> scheduledTurns = new ConcurrentHashMap<>();
    /** Scheduled turns that failed every attempt (on AWS: kept in the function's dead-letter queue). */
    private final java.util.concurrent.atomic.AtomicLong turnsGivenUp = new java.util.concurrent.atomic.AtomicLong();
    /** The function a journey's schedules invoke (its machine's Task resource: JourneyFunction), by journey. */
    private final Map<String, String> turnFunctions = new ConcurrentHashMap<>();

    /** @param folder where executions are kept across restarts; null: in memory only */
    public LocalJourneys(SamTemplate template, Map<String, RequestStreamHandler> functions, Clock clock, Path folder) throws IOException {
        this.functions = functions;
        this.clock = clock;
        this.folder = folder == null ? null : Files.createDirectories(folder);
        for (SamTemplate.StateMachineResource m : template.stateMachines()) {
            // the journeys' machines, those that turn JourneyFunction; the import machine's batches run in process here (LocalImports)
            if (!m.substitutions().containsKey("JourneyFunctionArn")) continue;
            String definition = read(m.definitionUri()); // packaged with the core, beside the journey simulator
            for (var s : m.substitutions().entrySet()) definition = definition.replace("${" + s.getKey() + "}", s.getValue());
            machines.put(m.journey(), StateMachine.of(m.journey(), Json.read(definition, JsonNode.class)));
            turnFunctions.put(m.journey(), m.substitutions().get("JourneyFunctionArn"));
        }
        if (this.folder != null) {
            try (var files = Files.list(this.folder)) {
                for (Path file : files.toList()) {
                    if (file.toString().endsWith(".json")) {
                        Execution e = Execution.restore(Json.read(Files.readString(file), JsonNode.class));
                        executions.put(e.name, e);
                    } else if (file.toString().endsWith(".start")) {
                        ScheduledStart start = Json.read(Files.readString(file), ScheduledStart.class);
                        scheduled.put(start.name(), start);
                    }
                }
            }
        }
        // the caller moves a SettableClock and runs what is due; otherwise a timer does, once the functions exist (start())
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    /**
     * Goes on with the executions read back from the data folder (the functions must exist by now): one that
     * was running when the runtime stopped runs its state again; waiting ones run when their time comes.
     */
    public void start() {
        for (Execution e : executions.values()) {
            if (e.status() == Execution.Status.RUNNING) run(e);
        }
        if (!(clock instanceof SettableClock)) startTimer();
    }

    /** Runs what is due every 100 ms from now on (under a released {@link SettableClock}, once the demo shop goes live). */
    public void startTimer() {
        timer.scheduleWithFixedDelay(this::runDue, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean start(String journey, String executionName, JsonNode input) {
        StateMachine machine = machines.getOrDefault(journey, machines.get(Flow.MACHINE)); // a written journey runs on the flow interpreter
        if (machine == null) throw new IllegalStateException("no state machine for journey " + journey);
        Flow.executionInput(executionName, input); // refused over Step Functions' limit, as StartExecution would
        Execution execution = Interpreter.start(machine, executionName, input, clock.instant());
        if (executions.putIfAbsent(executionName, execution) != null) return false;
        synchronized (execution) {
            save(execution); // started means written down, as StartExecution's answer means on AWS
        }
        run(execution);
        return true;
    }

    @Override
    public boolean startAt(String journey, String executionName, JsonNode input, Instant at) {
        if (!machines.containsKey(journey) && !machines.containsKey(Flow.MACHINE)) throw new IllegalStateException("no state machine for journey " + journey);
        Flow.executionInput(executionName, input);
        if (executions.containsKey(executionName)) return false;
        return schedule(new ScheduledStart(journey, executionName, input, at, 0, 0));
    }

    @Override
    public boolean nextTurnAt(String journey, String executionName, int turn, JsonNode input, Instant at) {
        Flow.executionInput(executionName, input);
        return schedule(new ScheduledStart(journey, executionName, input, at, turn, 0));
    }

    /** Keeps a scheduled turn, one per entry at a time (the one that fired is gone before its turn schedules the next); false when one is kept. */
    private boolean schedule(ScheduledStart start) {
        synchronized (scheduled) {
            if (scheduled.putIfAbsent(start.name(), start) != null) return false;
            write(start.name() + ".start", Json.write(start)); // scheduled means written down, as CreateSchedule's answer means
        }
        return true;
    }

    @Override
    public boolean cancel(String journey, String executionName) {
        return unschedule(executionName, true);
    }

    /** Removes the entry's scheduled turn: only its first ({@link #cancel}), or whichever is to come. */
    private boolean unschedule(String executionName, boolean firstOnly) {
        synchronized (scheduled) {
            ScheduledStart start = scheduled.get(executionName);
            if (start == null || firstOnly && start.turn() > 0) return false;
            scheduled.remove(executionName);
            delete(executionName + ".start");
            return true;
        }
    }

    @Override
    public boolean stop(String journey, String executionName, String error, String cause) {
        if (unschedule(executionName, false)) return true;
        Execution execution = executions.get(executionName);
        if (execution == null) return false;
        synchronized (execution) {
            if (execution.isDone()) return false;
            execution.stop(error, cause);
            save(execution);
            return true;
        }
    }

    @Override
    public boolean resume(String journey, String token, JsonNode output) {
        for (Execution e : executions.values()) {
            if (!token.equals(e.token())) continue; // looked at without its lock: a running execution's lock is held for its whole turn
            synchronized (e) { // the task's own function may answer it while its turn holds the lock (the same thread)
                if (!token.equals(e.token())) continue;
                // the task's result now; what follows runs on a worker, as Step Functions goes on after SendTaskSuccess answers
                return submit(e, () -> Interpreter.resume(machines.get(e.machine), e, token, output, this::invoke, clock.instant()));
            }
        }
        return false;
    }

    /** Runs every execution whose wait is over (a Wait state's end, a Retry's interval). */
    public void runDue() {
        try {
            for (ScheduledStart start : scheduled.values()) {
                if (clock.instant().isBefore(start.at())) continue;
                // the schedule fires once and is gone (ActionAfterCompletion DELETE); its turn is deduplicated by the name
                synchronized (scheduled) {
                    if (!scheduled.remove(start.name(), start)) continue;
                }
                if (start.attempts() == 0) startsFired.incrementAndGet();
                turn(start);
            }
            for (Execution e : executions.values()) {
                // read without the execution's lock, so possibly half-updated by a worker (waiting, with no time yet):
                // a run is only queued here, and it looks again under the lock
                Instant until = e.waitUntil();
                if (e.status() == Execution.Status.WAITING && until != null && !clock.instant().isBefore(until)) run(e);
            }
        } catch (RuntimeException unexpected) {
            System.err.println("[journeys] running what is due: " + unexpected); // the timer goes on (an exception would cancel it)
        }
    }

    /**
     * Invokes the function with the entry, on a worker, as Scheduler invokes JourneyFunction (asynchronously): the turn,
     * which schedules the next ({@link #nextTurnAt}) or starts an execution ({@link #start}) if the journey waits again.
     * Its file is deleted once the turn has answered, unless the turn scheduled the next under the same name, so a
     * runtime killed meanwhile takes it again (a turn is idempotent); one that fails is tried again as Lambda retries an
     * asynchronous invocation.
     */
    private void turn(ScheduledStart start) {
        running.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    JsonNode answer = invoke("scheduled turn", turnFunctions.getOrDefault(start.journey(), turnFunctions.get(Flow.MACHINE)), start.input());
                    scheduledTurns.put(start.name(), answer);
                    forget(start);
                } catch (AslError failed) {
                    System.err.println("[journeys] " + start.name() + ": its scheduled turn failed: " + failed.getMessage());
                    if (start.attempts() + 1 >= TURN_ATTEMPTS) {
                        turnsGivenUp.incrementAndGet();
                        forget(start);
                    } else {
                        ScheduledStart again = new ScheduledStart(start.journey(), start.name(), start.input(),
                                clock.instant().plus(Duration.ofMinutes(start.attempts() + 1L)), start.turn(), start.attempts() + 1);
                        // (unless the turn got as far as scheduling its next, its last act: then there is nothing left to retry)
                        schedule(again);
                    }
                } finally {
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException stopping) {
            running.decrementAndGet();
        }
    }

    /** Deletes the file of a turn taken (or given up), unless it now holds the entry's next turn. */
    private void forget(ScheduledStart taken) {
        synchronized (scheduled) {
            if (!scheduled.containsKey(taken.name())) delete(taken.name() + ".start");
        }
    }

    /** What this entry's latest scheduled turn answered (the state handed on, or {@code {"ended": reason}}), or null. */
    public JsonNode lastScheduledTurn(String name) {
        return scheduledTurns.get(name);
    }

    /** Scheduled turns given up after their retries (on AWS, what waits in the dead-letter queue). */
    public long turnsGivenUp() {
        return turnsGivenUp.get();
    }

    /** Waits until no execution is running (tests and benchmarks). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    public List<Execution> executions() {
        return new ArrayList<>(executions.values());
    }

    public Execution execution(String name) {
        return executions.get(name);
    }

    /** Scheduled turns that fired since this engine began (an entry's first and those after plain waits): what EventBridge Scheduler bills per invocation (a retried turn is Lambda's, not another). */
    public long startsFired() {
        return startsFired.get();
    }

    /** The starts to come ({@link #startAt}): execution name → when. */
    public Map<String, Instant> scheduledStarts() {
        Map<String, Instant> starts = new java.util.TreeMap<>();
        scheduled.values().forEach(s -> starts.put(s.name(), s.at()));
        return starts;
    }

    /** When the start of this execution is to come ({@link #startAt}), or null: none is (made, cancelled, or never asked for). */
    public Instant scheduledStart(String name) {
        ScheduledStart start = scheduled.get(name);
        return start == null ? null : start.at();
    }

    /** Runs the execution as far as it goes now, on a worker; nothing when a run of it is queued already. */
    private void run(Execution e) {
        if (!queued.add(e.name)) return;
        boolean submitted = submit(e, () -> {
            queued.remove(e.name); // from here a wait that ends during this run queues the next one
            Interpreter.run(machines.get(e.machine), e, this::invoke, clock.instant());
        });
        if (!submitted) queued.remove(e.name);
    }

    /** Runs {@code step} on a worker under the execution's lock, then writes the execution down; false when the engine is closing. */
    private boolean submit(Execution e, Runnable step) {
        running.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    synchronized (e) {
                        step.run();
                        save(e);
                    }
                } catch (RuntimeException crash) {
                    System.err.println("[journeys] " + e.name + ": " + crash);
                } finally {
                    running.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException stopping) {
            running.decrementAndGet();
            return false;
        }
    }

    /** A Task's resource is a function of the template (after substitution, its logical name or a Lambda ARN ending in it). */
    private JsonNode invoke(String state, String resource, JsonNode payload) {
        String name = resource.substring(resource.lastIndexOf(':') + 1);
        RequestStreamHandler handler = functions.get(name);
        if (handler == null) throw new AslError("States.Runtime", "no function " + name + " for task " + state);
        byte[] result;
        try {
            result = LocalFunctions.invoke(handler, name, Json.write(payload).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException failed) {
            // as Lambda reports a Java function's error: the exception's class name is the error name
            throw new AslError(failed.getClass().getName(), String.valueOf(failed.getMessage()));
        }
        return Json.read(new String(result, StandardCharsets.UTF_8), JsonNode.class);
    }

    /** Writes the execution's file. Hold the execution's lock. */
    private void save(Execution e) {
        write(e.name + ".json", Json.write(e.snapshot()));
    }

    /** Writes a file of the data folder, named after {@code name} (a new file moved over the old one: a kill never leaves half a file). */
    private void write(String name, String content) {
        if (folder == null) return;
        try {
            String file = URLEncoder.encode(name, StandardCharsets.UTF_8);
            Path next = folder.resolve(file + ".next");
            Files.writeString(next, content);
            Files.move(next, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot write " + name + " to " + folder, failed);
        }
    }

    private void delete(String name) {
        if (folder == null) return;
        try {
            Files.deleteIfExists(folder.resolve(URLEncoder.encode(name, StandardCharsets.UTF_8)));
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot delete " + name + " from " + folder, failed);
        }
    }

    private static String read(String uri) {
        try (InputStream in = LocalJourneys.class.getResourceAsStream("/" + uri)) {
            if (in == null) throw new IllegalStateException(uri + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
