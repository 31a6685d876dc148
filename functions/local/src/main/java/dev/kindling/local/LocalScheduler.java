package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.campaign.Campaign;
import dev.kindling.campaign.CampaignSchedules;
import dev.kindling.campaign.ScheduleExpression;
import dev.kindling.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * EventBridge Scheduler on this machine: runs each template schedule's function with the
 * schedule's input when its {@code cron(...)} or {@code rate(...)} expression comes due (UTC), and
 * on demand ({@code POST /local/schedules/<Function>.<Event>}). The campaigns' schedules
 * ({@link CampaignSchedules}) are made, paused and deleted here as the admin function does it with
 * Scheduler's API, and fire CampaignFunction with Scheduler's input (its {@code <aws.scheduler.scheduled-time>}
 * the firing's due time); under a clock the caller moves, {@link #runDue} fires what came due.
 */
public final class LocalScheduler implements CampaignSchedules, AutoCloseable {
    static final String CAMPAIGN_FUNCTION = "CampaignFunction";

    private record Entry(SamTemplate.Schedule schedule, String function, ScheduleExpression expression) {}

    /** A campaign's schedule: its expression, its input, and the last due time it fired for (the next counts from there). */
    private static final class Made {
        final String name;
        final ScheduleExpression expression;
        final String input;
        final Instant start;
        final Instant end;
        final boolean once;
        volatile boolean paused;
        Instant last;

        Made(String name, ScheduleExpression expression, String input, Instant start, Instant end, boolean once, Instant from) {
            this.name = name;
            this.expression = expression;
            this.input = input;
            this.start = start;
            this.end = end;
            this.once = once;
            this.last = from;
        }
    }

    private final Map<String, Made> made = new ConcurrentHashMap<>();

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, RequestStreamHandler> functions;
    private final Clock clock;
    private final Map<String, LongAdder> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-scheduler");
        t.setDaemon(true);
        return t;
    });

    public LocalScheduler(SamTemplate template, Map<String, RequestStreamHandler> functions, Clock clock) {
        this.functions = functions;
        this.clock = clock;
        for (SamTemplate.Function f : template.functions()) {
            for (SamTemplate.Schedule s : f.schedules()) entries.put(s.name(), new Entry(s, f.name(), ScheduleExpression.parse(s.expression(), ZoneOffset.UTC)));
        }
    }

    /** Starts the timers; each schedule fires at its next due time, then the one after; the campaigns' are looked at every 100 ms. */
    public void start() {
        entries.values().forEach(e -> arm(e, clock.instant()));
        timer.scheduleWithFixedDelay(() -> {
            try {
                runDue();
            } catch (RuntimeException e) {
                System.err.println("[scheduler] campaigns: " + e); // the timer goes on (an exception would cancel it)
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
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
        return ScheduleExpression.parse(expression, ZoneOffset.UTC).next(after, after)
                .orElseThrow(() -> new IllegalStateException(expression + " never fires again"));
    }

    /**
     * Fires the schedule at its next time after {@code after} on the runtime's clock. The timer waits in
     * real time, so the wait is what the runtime clock's time comes to in real time (an hour is a second
     * under --speed 3600); the next firing is counted from this one's due time, so none is run twice.
     */
    private void arm(Entry entry, Instant after) {
        Instant due = entry.expression().next(after, after)
                .orElseThrow(() -> new IllegalStateException(entry.schedule().expression() + " never fires again"));
        Duration wait = AcceleratedClock.realTime(clock, Duration.between(clock.instant(), due));
        timer.schedule(() -> {
            try {
                run(entry.schedule().name());
                runs.computeIfAbsent(entry.schedule().name(), n -> new LongAdder()).increment();
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

    @Override
    public void put(String shopId, Campaign campaign, Instant now) {
        if (campaign.schedule().onDemand() || !campaign.enabled()) {
            delete(shopId, campaign.id());
            return;
        }
        Campaign.Schedule s = campaign.schedule();
        String input = Json.write(Json.object().put("shop", shopId).put("campaign", campaign.id()).put("scheduledTime", SCHEDULED_TIME));
        Instant start = s.start() != null ? s.start() : now;
        String name = CampaignSchedules.name(shopId, campaign.id());
        made.put(name, new Made(name, s.fired(), input, start, s.until(), false, now));
    }

    @Override
    public void pause(String shopId, String campaignId, boolean paused, Instant now) {
        Made m = made.get(CampaignSchedules.name(shopId, campaignId));
        if (m == null) return;
        synchronized (m) {
            // as Scheduler: what came due while it was disabled is not fired late; the next firing counts from now
            if (m.paused && !paused) m.last = now;
            m.paused = paused;
        }
    }

    @Override
    public void delete(String shopId, String campaignId) {
        made.remove(CampaignSchedules.name(shopId, campaignId));
    }

    @Override
    public void once(String shopId, String campaignId, String runId, Instant at) {
        String name = CampaignSchedules.onceName(shopId, campaignId, runId);
        String input = Json.write(Json.object().put("shop", shopId).put("campaign", campaignId).put("run", runId).put("decide", true));
        String when = "at(" + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(at) + ")";
        made.putIfAbsent(name, new Made(name, ScheduleExpression.parse(when, ZoneOffset.UTC), input, at, null, true, at.minusSeconds(1)));
    }

    /** Scheduler's context attribute for the firing's due time. */
    static final String SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

    /** The campaigns' schedules by name (tests look). */
    public Set<String> campaignSchedules() {
        return Set.copyOf(made.keySet());
    }

    /**
     * Fires every campaign schedule whose time came (each due time once, in order, as Scheduler would have fired them
     * while the clock moved), with the due time in its input; a one-time schedule is removed once it fired.
     */
    public void runDue() {
        Instant now = clock.instant();
        for (Made m : made.values()) {
            synchronized (m) {
                while (!m.paused && made.get(m.name) == m) {
                    var due = m.expression.next(m.last, m.start);
                    if (due.isEmpty() || due.get().isAfter(now) || (m.end != null && due.get().isAfter(m.end))) break;
                    m.last = due.get();
                    fire(m, due.get());
                    if (m.once) made.remove(m.name, m);
                }
            }
        }
    }

    private void fire(Made m, Instant due) {
        String input = m.input.replace(SCHEDULED_TIME, due.toString());
        try {
            LocalFunctions.invoke(functions.get(CAMPAIGN_FUNCTION), CAMPAIGN_FUNCTION, input.getBytes(StandardCharsets.UTF_8));
            runs.computeIfAbsent(m.name, n -> new LongAdder()).increment();
        } catch (Exception e) {
            System.err.println("[scheduler] " + m.name + " at " + due + " failed: " + e); // Scheduler retries, then the dead-letter queue
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
