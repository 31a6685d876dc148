package dev.kindling.bench;

import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.handler.Services;
import dev.kindling.journey.asl.Execution;
import dev.kindling.json.Json;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.LocalUsage;
import dev.kindling.local.SettableClock;
import dev.kindling.local.ShopSimulation;
import dev.kindling.report.Bill;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Issue 15's month: the product's reference shop at 1/100 scale ({@link ShopSimulation.Mix#REFERENCE_HUNDREDTH})
 * lives 30 days of skipped time through the local runtime — the real ingest path, the journeys and campaigns, SES's
 * events through the bus. Everything billable is counted as it happens (each function's invocations and billed
 * milliseconds, DynamoDB request units by function, events put on the bus, state transitions, schedule firings, SES
 * messages, HTTP requests) and the whole AWS bill is printed ×100, line by line, beside Klaviyo's price for 100,000
 * profiles. It also prints what one operation uses on average (report/unit-costs.json, which the cost report prices).
 *
 * <pre>bin/bench-month [days (30)] [seed (15)]</pre>
 */
public final class MonthBenchmark {
    static final int SCALE = 100;
    /** The stream mappings' MaximumBatchingWindowInSeconds in template.yaml. */
    static final Duration STREAM_WINDOW = Duration.ofSeconds(60);
    /** Klaviyo's email plan for 100,000 profiles, per month (klaviyo.com/pricing, as PRODUCT.md quotes it). */
    static final double KLAVIYO_100K = 1380;
    static final Instant START = Instant.parse("2026-11-02T00:00:00Z"); // a Monday
    static final Set<String> EVENT = Set.of("IngestFunction", "EventFunction", "SegmentFunction", "CatalogFunction", "ReportFunction",
            "JourneyStartFunction", "EmailPagesFunction", "AdminFunction", "PrivacyFunction", "SegmentRefreshFunction", "other");
    static final Set<String> EMAIL = Set.of("SendFunction", "CampaignFunction");
    /** Memory per function (template.yaml: 1024 MB, SegmentRefreshFunction 2048 MB). */
    static final Map<String, Double> GB = Map.of("SegmentRefreshFunction", 2.0);

    private MonthBenchmark() {}

    public static void main(String[] args) throws Exception {
        // as the template configures every function but the admin API (the local runtime runs them in one JVM)
        if (System.getProperty("kindling.settingsTrustedMs") == null) System.setProperty("kindling.settingsTrustedMs", "1000");
        int days = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 15;
        SettableClock clock = new SettableClock(START.minus(Duration.ofDays(1)));
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock))) {
            Services s = runtime.services();
            ShopSimulation shop = new ShopSimulation(runtime, clock, ShopSimulation.Mix.REFERENCE_HUNDREDTH, seed);
            long setUpStart = System.nanoTime();
            shop.setUp(START);
            System.out.printf("set up %,d customers with a past year of orders in %.0f s%n", ShopSimulation.Mix.REFERENCE_HUNDREDTH.profiles(),
                    (System.nanoTime() - setUpStart) / 1e9);

            // the table's stream in batches as AWS gathers them: the template's minute of the reference shop's traffic is
            // SCALE minutes of this hundredth of it (what the set-up stored is counted first, outside the month)
            runtime.flushStreams();
            runtime.streamBatchingWindow(STREAM_WINDOW.multipliedBy(SCALE));
            s.table().meter().perWhat(MonthBenchmark::kindOfKey);
            Map<String, double[]> whatBefore = s.table().meter().billedByWhat();
            Map<String, LocalUsage.Function> usageBefore = runtime.usage().functions();
            long apiBefore = runtime.usage().apiRequests();
            Map<String, double[]> unitsBefore = s.table().meter().billedByOwner();
            Map<String, Long> putsBefore = runtime.bus().puts();
            long transitionsBefore = transitions(runtime);
            long startsBefore = runtime.journeys().startsFired();
            Set<String> executionsBefore = new java.util.HashSet<>(runtime.journeys().executions().stream().map(e -> e.name).toList());
            int outboxBefore = runtime.outbox().all().size();
            long t0 = System.nanoTime();
            shop.resumeMarketingEachMorning(true);
            ShopSimulation.Counts counts = shop.run(START, days);
            double seconds = (System.nanoTime() - t0) / 1e9;
            runtime.flushStreams();
            s.reportCounting().flush();
            shop.close();

            // what was used in the month
            Map<String, LocalUsage.Function> usage = minus(runtime.usage().functions(), usageBefore);
            Map<String, double[]> units = minusUnits(s.table().meter().billedByOwner(), unitsBefore);
            long busEvents = 0;
            for (var e : runtime.bus().puts().entrySet()) {
                if (!e.getKey().equals("aws.ses")) busEvents += e.getValue() - putsBefore.getOrDefault(e.getKey(), 0L); // SES's own events are free
            }
            long transitions = transitions(runtime) - transitionsBefore;
            long emails = runtime.outbox().all().size() - outboxBefore;
            long runs = s.campaignRuns().list("demo", "weekly-news", 100).size() + s.campaignRuns().list("demo", "deals", 100).size();
            // the HTTP API's requests (the webhooks): the tracking libraries call IngestFunction's URL, which bills none
            long http = runtime.usage().apiRequests() - apiBefore;
            LocalDate first = LocalDate.ofInstant(START, ZoneOffset.UTC), last = first.plusDays(days - 1L);
            long events = dev.kindling.report.ReportCounting.storedEvents(s.reportStore(), "demo", first, last);
            long entries = journeyEntries(s, first, last);

            System.out.printf("%n%d days in %.0f s: %,d tracked events and %,d webhooks (%,d orders, %,d refunds) from %,d sessions and %,d sign-ups; "
                            + "%,d events ingested in all (with Kindling's own: opens, clicks, bounces); %,d emails; %,d SES events; %,d journey entries; "
                            + "%,d campaign runs; the deliverability guard's pause lifted %d times%n", days, seconds, counts.trackedEvents(), counts.webhooks(), counts.orders(), counts.refunds(),
                    counts.sessions(), counts.signups(), events, emails, counts.sesEvents(), entries, runs, shop.marketingResumed());

            System.out.printf("%n| function | invocations | billed ms per invocation | GB-seconds | WRU | RRU |%n|---|---:|---:|---:|---:|---:|%n");
            Bill.Usage total = Bill.Usage.NONE;
            Map<String, Bill.Usage> byOperation = new LinkedHashMap<>();
            for (String op : Bill.OPERATIONS) byOperation.put(op, Bill.Usage.NONE);
            Set<String> owners = new java.util.TreeSet<>(usage.keySet());
            owners.addAll(units.keySet());
            for (String f : owners) {
                LocalUsage.Function u = usage.getOrDefault(f, new LocalUsage.Function(0, 0));
                double[] du = units.getOrDefault(f, new double[2]);
                double gbMs = u.billedMillis() * GB.getOrDefault(f, 1.0);
                System.out.printf("| %s | %,d | %.1f | %,.1f | %,.0f | %,.0f |%n", f, u.invocations(), u.millisPerInvocation(), gbMs / 1000, du[1], du[0]);
                Bill.Usage used = new Bill.Usage(u.invocations(), gbMs, du[0], du[1], 0, 0, 0, 0, 0);
                total = total.plus(used);
                String op = EVENT.contains(f) ? "event" : EMAIL.contains(f) ? "email" : f.equals("EngagementFunction") ? "sesEvent" : "journeyEntry";
                byOperation.put(op, byOperation.get(op).plus(used));
            }
            long journeyStarts = runtime.journeys().startsFired() - startsBefore; // one-time schedules that started a journey
            total = total.plus(new Bill.Usage(0, 0, 0, 0, busEvents, transitions, runs + journeyStarts, emails, http));
            byOperation.put("event", byOperation.get("event").plus(new Bill.Usage(0, 0, 0, 0, busEvents, 0, 0, 0, http)));
            byOperation.put("email", byOperation.get("email").plus(new Bill.Usage(0, 0, 0, 0, 0, 0, 0, emails, 0)));
            byOperation.put("journeyEntry", byOperation.get("journeyEntry").plus(new Bill.Usage(0, 0, 0, 0, 0, transitions, journeyStarts, 0, 0)));
            byOperation.put("campaignRun", new Bill.Usage(0, 0, 0, 0, 0, 0, runs, 0, 0));

            // where the units went: by function, request and kind of item, per ingested event
            Map<String, double[]> what = minusUnits(s.table().meter().billedByWhat(), whatBefore);
            for (int k : new int[] {1, 0}) {
                // items per event and units per item beside the units: which items are written often, and which are big
                System.out.printf("%n| function, request, kind of item | %s per event | items per event | %s per item |%n|---|---:|---:|---:|%n",
                        k == 1 ? "WRU" : "RRU", k == 1 ? "WRU" : "RRU");
                what.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[k], a.getValue()[k])).limit(40)
                        .filter(e -> e.getValue()[k] > 0)
                        .forEach(e -> System.out.printf("| `%s` | %.3f | %.3f | %.2f |%n", e.getKey(), e.getValue()[k] / Math.max(1, events),
                                e.getValue()[k + 2] / Math.max(1, events), e.getValue()[k] / Math.max(1, e.getValue()[k + 2])));
                System.out.printf("| **all** | **%.3f** | | |%n", what.values().stream().mapToDouble(u -> u[k]).sum() / Math.max(1, events));
            }

            // the state transitions, by journey: executions, transitions, and how they ended
            Map<String, long[]> byJourney = new TreeMap<>();
            for (Execution e : runtime.journeys().executions()) {
                if (executionsBefore.contains(e.name)) continue;
                long[] t = byJourney.computeIfAbsent(e.input.path("journey").asText("?"), j -> new long[2]);
                t[0]++;
                t[1] += e.transitions();
            }
            System.out.printf("%n| journey | executions | transitions | per execution |%n|---|---:|---:|---:|%n");
            byJourney.forEach((j, t) -> System.out.printf("| %s | %,d | %,d | %.2f |%n", j, t[0], t[1], t[1] / (double) t[0]));
            System.out.printf("journey entries %,d; transitions per entry %.2f%n", entries, transitions / (double) Math.max(1, entries));

            Bill prices = Bill.prices();
            System.out.printf("%n| the month ×%d | quantity | unit price | USD |%n|---|---:|---:|---:|%n", SCALE);
            double bill = 0;
            for (Bill.Line line : prices.lines(total.times(SCALE))) {
                System.out.printf("| %s: %s | %,.0f %s | $%s | $%,.2f |%n", line.service(), line.what().replace(" (1.0 GB, arm64)", ", arm64"),
                        line.quantity(), line.unit(), trim(line.unitPriceUsd()), line.usd());
                bill += line.usd();
            }
            System.out.printf("| **the whole AWS bill, 100,000 profiles** | | | **$%,.2f** |%n| Klaviyo, 100,000 profiles | | | $%,.2f |%n", bill, KLAVIYO_100K);
            System.out.printf("%nAWS bill ÷ Klaviyo = %.3f; without SES: $%,.2f%n", bill / KLAVIYO_100K,
                    bill - prices.lines(total.times(SCALE)).stream().filter(l -> l.service().equals("SES")).mapToDouble(Bill.Line::usd).sum());

            Map<String, Long> operations = new LinkedHashMap<>();
            operations.put("event", events);
            operations.put("email", emails);
            operations.put("sesEvent", counts.sesEvents());
            operations.put("journeyEntry", entries);
            operations.put("campaignRun", runs);
            var unitCosts = Json.object().put("_about", "What one operation uses on average, measured by bin/bench-month through the local runtime "
                    + "(docs/benchmarks.md, seed " + seed + "); lambdaMs is billed in-process handler time at 1 GB, warm.").put("memoryGb", 1.0);
            for (var op : operations.entrySet()) {
                Bill.Usage per = byOperation.get(op.getKey()).times(op.getValue() == 0 ? 0 : 1.0 / op.getValue());
                unitCosts.set(op.getKey(), Json.MAPPER.valueToTree(per));
            }
            System.out.printf("%nreport/unit-costs.json:%n%s%n", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(unitCosts));

            // the month as the reports tell it
            String range = "?from=" + first + "&to=" + last;
            System.out.printf("%n| report, %s to %s | read units billed | DynamoDB requests |%n|---|---:|---:|%n", first, last);
            Map<String, String> bodies = new LinkedHashMap<>();
            for (String report : dev.kindling.report.Reports.NAMES) {
                get(runtime, "/admin/reports/" + report + range); // the shop's settings and email documents read once, as a warm instance has them
                CapacityMeter.Snapshot before = s.table().meter().snapshot();
                bodies.put(report, get(runtime, "/admin/reports/" + report + range));
                CapacityMeter.Snapshot read = s.table().meter().snapshot().minus(before);
                System.out.printf("| %s | %.1f | %d |%n", report, read.billedReadUnits(), read.readRequests());
            }
            for (String report : List.of("overview", "campaigns", "cost", "clv")) {
                String body = bodies.get(report);
                System.out.printf("%nGET /admin/reports/%s%s%n%s%n", report, range, body.length() > 2500 ? body.substring(0, 2500) + " …" : body);
            }
        }
        System.exit(0);
    }

    /** A day in a folded key (compiled once: the meter folds the key of every request). */
    private static final Pattern DAY = Pattern.compile("<n>-\\d{2}-\\d{2}");

    /**
     * A key with its ids folded: partition keys as the sale hour folds them, sort keys to their first part, and days as one
     * (a counter written each day is one kind of item, not thirty).
     */
    static String kindOfKey(String key) {
        String folded = key.startsWith("S#") ? SaleHourBenchmark.item(key) : SaleHourBenchmark.kind(key);
        int bar = folded.indexOf('#');
        if (!key.startsWith("S#") && bar >= 0) folded = folded.substring(0, bar) + "#…";
        return DAY.matcher(folded).replaceAll("<day>");
    }

    static String get(LocalRuntime runtime, String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + runtime.port() + path))
                .header("Authorization", "Bearer demo-admin-token").build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    static long transitions(LocalRuntime runtime) {
        return runtime.journeys().executions().stream().mapToLong(Execution::transitions).sum();
    }

    static long journeyEntries(Services s, LocalDate from, LocalDate to) {
        long entered = 0;
        for (var row : s.emailStats().read("demo", from, to)) {
            if ("journey".equals(row.key().step())) entered += row.counts().getOrDefault("entered", 0L);
        }
        return entered;
    }

    static Map<String, LocalUsage.Function> minus(Map<String, LocalUsage.Function> after, Map<String, LocalUsage.Function> before) {
        Map<String, LocalUsage.Function> out = new TreeMap<>();
        after.forEach((f, u) -> {
            LocalUsage.Function b = before.getOrDefault(f, new LocalUsage.Function(0, 0));
            out.put(f, new LocalUsage.Function(u.invocations() - b.invocations(), u.billedMillis() - b.billedMillis()));
        });
        return out;
    }

    static Map<String, double[]> minusUnits(Map<String, double[]> after, Map<String, double[]> before) {
        Map<String, double[]> out = new TreeMap<>();
        after.forEach((f, u) -> {
            double[] b = before.getOrDefault(f, new double[u.length]);
            double[] difference = new double[u.length];
            for (int i = 0; i < u.length; i++) difference[i] = u[i] - b[i];
            out.put(f, difference);
        });
        return out;
    }

    static String trim(double price) {
        return java.math.BigDecimal.valueOf(price).stripTrailingZeros().toPlainString();
    }
}
