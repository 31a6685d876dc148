package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge Scheduler on this machine: runs each template schedule's function with the
 * schedule's input when its {@code cron(...)} or {@code rate(...)} expression comes due (UTC), and
 * on demand ({@code POST /local/schedules/<Function>.<Event>}).
 */
public final class LocalScheduler implements AutoCloseable {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private record Entry(SamTemplate.Schedule schedule, String function, Function<ZonedDateTime, ZonedDateTime> next) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, RequestStreamHandler> functions;
    private final Clock clock;
    private final Map<String, java.util.concurrent.atomic.LongAdder> runs = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-scheduler");
        t.setDaemon(true);
        return t;
    });

    public LocalScheduler(SamTemplate template, Map<String, RequestStreamHandler> functions, Clock clock) {
        this.functions = functions;
        this.clock = clock;
        for (SamTemplate.Function f : template.functions()) {
            for (SamTemplate.Schedule s : f.schedules()) entries.put(s.name(), new Entry(s, f.name(), nextFunction(s.expression())));
        }
    }

    /** Starts the timers; each schedule fires at its next due time, then the one after. */
    public void start() {
        entries.values().forEach(e -> arm(e, clock.instant()));
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** Runs a schedule's function now, with the schedule's input; returns the function's result. */
    public byte[] run(String name) throws IOException {
        Entry entry = entries.get(name);
        if (entry == null) throw new IllegalArgumentException("no schedule " + name + "; schedules: " + entries.keySet());
        return LocalFunctions.invoke(functions.get(entry.function()), entry.function(), entry.schedule().input().getBytes(StandardCharsets.UTF_8));
    }

    /** When an expression fires next after an instant (UTC). */
    static Instant next(String expression, Instant after) {
        return nextFunction(expression).apply(after.atZone(ZoneOffset.UTC)).toInstant();
    }

    /**
     * Fires the schedule at its next time after {@code after} on the runtime's clock. The timer waits in
     * real time, so the wait is what the runtime clock's time comes to in real time (an hour is a second
     * under --speed 3600); the next firing is counted from this one's due time, so none is run twice.
     */
    private void arm(Entry entry, Instant after) {
        Instant due = entry.next().apply(after.atZone(ZoneOffset.UTC)).toInstant();
        Duration wait = AcceleratedClock.realTime(clock, Duration.between(clock.instant(), due));
        timer.schedule(() -> {
            try {
                run(entry.schedule().name());
                runs.computeIfAbsent(entry.schedule().name(), n -> new java.util.concurrent.atomic.LongAdder()).increment();
            } catch (Exception e) {
                System.err.println("[scheduler] " + entry.schedule().name() + " failed: " + e);
            }
            arm(entry, due);
        }, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** How often each schedule has fired on its own (not counting {@link #run} on demand). */
    public long runs(String name) {
        var count = runs.get(name);
        return count == null ? 0 : count.sum();
    }

    /** AWS cron has six fields (no seconds) and Quartz's ? and L; Quartz reads it with a seconds field in front. */
    private static Function<ZonedDateTime, ZonedDateTime> nextFunction(String expression) {
        Matcher cron = CRON.matcher(expression.strip());
        if (cron.matches()) {
            ExecutionTime times = ExecutionTime.forCron(QUARTZ.parse("0 " + cron.group(1)));
            return after -> times.nextExecution(after).orElseThrow(() -> new IllegalStateException(expression + " never fires again"));
        }
        Matcher rate = RATE.matcher(expression.strip());
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            Duration every = rate.group(2).startsWith("minute") ? Duration.ofMinutes(n)
                    : rate.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
            return after -> after.plus(every);
        }
        throw new IllegalArgumentException("not a schedule expression EventBridge Scheduler accepts: " + expression);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
