package dev.kindling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.handler.Services;
import dev.kindling.json.Json;
import dev.kindling.local.LocalOutbox;
import dev.kindling.local.LocalRuntime;
import dev.kindling.email.SenderIdentity;
import dev.kindling.send.EmailSending;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign to N recipients run by the local runtime as it runs on AWS: the admin API saves it, {@code POST …/run}
 * puts the request on the bus, CampaignFunction sends page after page (handing the run on through the bus after each
 * page, as the local Lambda context always has little time left) at the rate SES_MAX_SEND_RATE configures. Measured:
 * the time to reach everyone, the achieved rate against the configured one, the largest count of emails in any one
 * second, duplicates, and DynamoDB capacity per recipient; the AWS cost of the run follows from them.
 *
 * <pre>SES_MAX_SEND_RATE=200 bin/bench-campaign [recipients (100000)]</pre>
 */
public final class CampaignBenchmark {
    /** The schedule of the hourly segment refresh, as the local runtime names it. */
    static final String REFRESH = "SegmentRefreshFunction.Schedule";

    /** Recipients of each campaign that warms the JVM before the one measured. */
    static final int WARM_UP = 3000;
    /** Warm-up campaigns go on until the JIT compiles for less than this share of one (a twentieth of a core), or this many ran. */
    static final double JIT_SETTLED = 0.05;
    static final int MAX_WARM_UPS = 6;

    private CampaignBenchmark() {}

    public static void main(String[] args) throws Exception {
        // as the template configures every function but the admin API (the local runtime runs them in one JVM)
        if (System.getProperty("kindling.settingsTrustedMs") == null) System.setProperty("kindling.settingsTrustedMs", "1000");
        int recipients = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String configured = System.getenv().getOrDefault("SES_MAX_SEND_RATE", "");
        if (configured.isBlank()) throw new IllegalStateException("set SES_MAX_SEND_RATE (emails per second), as bin/bench-campaign does");
        double rate = Double.parseDouble(configured);
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, Clock.systemUTC()))) {
            Services s = runtime.services();
            var email = s.email();
            if (!email.store().putJourney("demo", "welcome", Json.object().put("enabled", false), email.current("demo").version())) {
                throw new IllegalStateException("could not switch the welcome journey off");
            }
            Instant now = Instant.now();
            long seedStart = System.nanoTime();
            seed(s, "warmup", WARM_UP, now);
            seed(s, "everyone", recipients, now);
            System.out.printf("seeded %,d subscribed contacts in the segment everyone (and %,d in warmup) in %.1f s%n", recipients, WARM_UP,
                    (System.nanoTime() - seedStart) / 1e9);
            // the JVM warmed first, as a runtime that has run a while is (a benchmark's warm-up): campaigns to the warm-up cohort
            // until the JIT has done its work. One is not enough: C2 went on compiling the send path through the measured
            // run's first minute, a sixth of a core, and that minute fell short of the rate while the rest held it.
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            for (int round = 1; ; round++) {
                String warmup = "warmup" + round;
                // the cohort again in later rounds: past the shop's frequency cap, which would skip them
                if (round == 1) campaign(runtime, "warmup", warmup);
                else newsletter(runtime, "warmup", warmup, false);
                long compiled = jit.getTotalCompilationTime(), warm = System.nanoTime();
                runToTheEnd(s, warmup);
                double seconds = (System.nanoTime() - warm) / 1e9, compiling = (jit.getTotalCompilationTime() - compiled) / 1e3;
                System.out.printf("warm-up campaign %d to %,d in %.1f s; the JIT compiled for %.1f s of it%n", round, WARM_UP, seconds, compiling);
                if (compiling < JIT_SETTLED * seconds || round == MAX_WARM_UPS) break;
            }
            campaign(runtime, "everyone", "bench");

            s.table().meter().perWhat(MonthBenchmark::kindOfKey);
            CapacityMeter.Snapshot before = s.table().meter().snapshot();
            long refreshes = runtime.scheduler().runs(REFRESH);
            long t0 = System.nanoTime();
            runToTheEnd(s, "bench");
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the hourly segment refresh (at minute 5) shares this machine's two cores and DynamoDB Local with the run when
            // it falls in it, as it does not on AWS (its own Lambda): said, so such a run is not taken for the campaign alone
            long refreshed = runtime.scheduler().runs(REFRESH) - refreshes;
            CapacityMeter.Snapshot used = s.table().meter().snapshot().minus(before);
            List<LocalOutbox.Sent> all = runtime.outbox().all();
            Map<String, Integer> byRecipient = new HashMap<>();
            List<Instant> times = new ArrayList<>();
            for (LocalOutbox.Sent e : all) {
                if (!"bench".equals(e.email().tags().get("campaign"))) continue;
                byRecipient.merge(e.email().to(), 1, Integer::sum);
                times.add(e.at());
            }
            times.sort(null);
            int busiest = 0;
            for (int i = 0, j = 0; i < times.size(); i++) {
                while (Duration.between(times.get(j), times.get(i)).toMillis() >= 1000) j++;
                busiest = Math.max(busiest, i - j + 1);
            }
            long twice = byRecipient.values().stream().filter(n -> n > 1).count();
            var counts = s.campaignRuns().list("demo", "bench", 1).getFirst().counts();
            double sendSeconds = Duration.between(times.getFirst(), times.getLast()).toMillis() / 1000.0;
            System.out.printf("run of %,d recipients: done in %.1f s; %,d emails (%,d people, %d twice); counts %s%n",
                    recipients, seconds, times.size(), byRecipient.size(), twice, counts);
            System.out.printf("rate configured %.0f/s; achieved %.1f/s (first to last email); largest count in any one-second window: %d%n",
                    rate, (times.size() - 1) / sendSeconds, busiest);
            System.out.printf("the hourly segment refresh ran %d time(s) during the run%n", refreshed);
            // each whole minute from the first email, against the rate configured (the last, partial minute apart)
            System.out.printf("%n| minute | emails | of the configured %,.0f |%n|---:|---:|---:|%n", rate * 60);
            Instant first = times.getFirst();
            int minutes = (int) (Duration.between(first, times.getLast()).toSeconds() / 60);
            double worst = Double.MAX_VALUE;
            for (int m = 0; m < minutes; m++) {
                Instant from = first.plusSeconds(60L * m), to = from.plusSeconds(60);
                long inMinute = times.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
                worst = Math.min(worst, inMinute / (rate * 60));
                System.out.printf("| %d | %,d | %.1f%% |%n", m + 1, inMinute, 100 * inMinute / (rate * 60));
            }
            if (minutes > 0) System.out.printf("every whole minute at least %.1f%% of the configured rate%n", 100 * worst);
            StringBuilder perSecond = new StringBuilder();
            for (Instant t : times) {
                int second = (int) Duration.between(first, t).toSeconds();
                while (perSecond.length() / 4 <= second) perSecond.append(String.format("%4d", 0));
            }
            int[] bySecond = new int[perSecond.length() / 4];
            for (Instant t : times) bySecond[(int) Duration.between(first, t).toSeconds()]++;
            System.out.printf("emails in each second from the first: %s%n", java.util.Arrays.toString(bySecond));
            System.out.printf("DynamoDB per recipient: %.2f RRU, %.2f WRU (billed on demand; %,d reads, %,d writes in all)%n",
                    used.billedReadUnits() / recipients, used.billedWriteUnits() / recipients, used.readRequests(), used.writeRequests());
            Map<String, double[]> what = s.table().meter().billedByWhat();
            for (int k : new int[] {1, 0}) {
                System.out.printf("%n| function, request, kind of item | %s per recipient |%n|---|---:|%n", k == 1 ? "WRU" : "RRU");
                what.entrySet().stream().filter(e -> e.getKey().startsWith("CampaignFunction") && e.getValue()[k] > 0)
                        .sorted((a, b) -> Double.compare(b.getValue()[k], a.getValue()[k])).limit(15)
                        .forEach(e -> System.out.printf("| `%s` | %.3f |%n", e.getKey(), e.getValue()[k] / recipients));
            }
            System.out.printf("bus events handing the run on: %d here (a page each, the local context having 15 s left)%n",
                    recipients / 100);
        }
    }

    /**
     * Subscribed contacts in the segment {@code segment} (their trait {@code cohort} says which): ingested as a tracking
     * library's identify with consent, and the membership written as segment evaluation writes it, through a Services whose
     * bus is silent (the bench measures the campaign, not N sign-ups' journeys and scores); in parallel, DynamoDB Local
     * being the bound.
     */
    static void seed(Services live, String segment, int count, Instant at) {
        Services quiet = new Services(live.table(), events -> { }, live.shops(), live.clock(), Duration.ofDays(400), null, null,
                new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), "local", 1.0, Duration.ofSeconds(1)), null, null, null, null, batches -> { throw new UnsupportedOperationException("no imports in this benchmark"); }, null, null);
        java.util.stream.IntStream.range(0, count).parallel().forEach(i -> {
            String address = segment + i + "@example.com";
            CanonicalEvent identify = new CanonicalEvent(segment + "-id-" + i, EventType.IDENTIFY, null, null, null, address, null, Json.object(),
                    Json.object().put("email", address).put("cohort", segment), null,
                    List.of(new ConsentChange(ConsentChange.EMAIL_MARKETING, ConsentChange.State.granted, "single_opt_in", at, "bench sign-up")),
                    at, at, Source.TRACKING, Map.of());
            String contactId = quiet.ingestor().ingest("demo", "tracking:" + segment + "-id-" + i, identify).contactId();
            if (!quiet.memberships().commit("demo", contactId, 0, Map.of(segment, at), List.of(segment), List.of(), List.of())) {
                throw new IllegalStateException("membership of " + contactId + " was written twice");
            }
        });
    }

    /** Saves the segment of one cohort ({@link #seed}) and a campaign of the newsletter to it; waits for the segment's backfill. */
    static void campaign(LocalRuntime runtime, String segment, String campaign) throws InterruptedException {
        Services s = runtime.services();
        var settings = s.settings();
        if (!settings.store().putSegment("demo", segment, Json.read("{\"id\": \"" + segment + "\", \"name\": \"" + segment + "\", \"condition\": {\"trait\": \"cohort\", \"op\": \"equals\", \"value\": \"" + segment + "\"}}",
                JsonNode.class), settings.current("demo").version())) throw new IllegalStateException("could not save the segment");
        newsletter(runtime, segment, campaign, true);
    }

    /** Saves a campaign of the newsletter to a segment saved before (capped: under the shop's frequency cap); waits for what saving set going. */
    static void newsletter(LocalRuntime runtime, String segment, String campaign, boolean capped) throws InterruptedException {
        Services s = runtime.services();
        var email = s.email();
        if (!email.store().putCampaign("demo", campaign, Json.read("""
                {"audience": {"segments": ["%s"]}, "message": {"template": "newsletter"}, "topic": "newsletter", "quietHours": false, "frequencyCap": %s}""".formatted(segment, capped),
                JsonNode.class), email.current("demo").version())) throw new IllegalStateException("could not save the campaign");
        // saving a segment backfills it on the bus (every contact read once): what follows starts when that is over
        if (!runtime.bus().awaitQuiet(Duration.ofMinutes(10))) throw new IllegalStateException("what saving set going did not end");
    }

    /** Runs the campaign now, through the bus as its schedule would; returns when the run is done. */
    static void runToTheEnd(Services s, String campaign) throws InterruptedException {
        Instant start = Instant.now();
        s.bus().publish(List.of(new dev.kindling.event.BusEvent("kindling.campaigns", "Campaign Run Requested", start,
                Json.object().put("shop", "demo").put("campaign", campaign).put("scheduledTime", start.toString()))));
        long t0 = System.nanoTime();
        while (true) {
            Thread.sleep(200);
            var run = s.campaignRuns().list("demo", campaign, 1);
            if (!run.isEmpty() && run.getFirst().status() == dev.kindling.campaign.CampaignRuns.Status.done) return;
            if (System.nanoTime() - t0 > Duration.ofHours(2).toNanos()) throw new IllegalStateException("the run took more than two hours");
        }
    }
}
