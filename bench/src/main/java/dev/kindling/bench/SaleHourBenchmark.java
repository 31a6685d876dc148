package dev.kindling.bench;

import dev.kindling.aws.dynamodb.CapacityMeter;
import dev.kindling.local.LocalRuntime;
import dev.kindling.local.SettableClock;
import dev.kindling.local.ShopSimulation;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Issue 33's sale hour, a few seconds of it: the reference shop at 1/100 ({@link ShopSimulation.Mix#REFERENCE_HUNDREDTH})
 * takes {@code sessions} visits a second, each as after a sale email's click, through the real ingest path and every
 * function that follows the bus, the clock standing at each second while its writes are made (skipped time). The table's
 * meter keeps the units billed to each partition key in each second, and the busiest partitions are printed beside
 * DynamoDB's per-partition limits (1,000 write and 3,000 read units a second): where a real sale would be throttled.
 *
 * <pre>bin/bench-sale-hour [seconds (5)] [sessions a second (330, about 2,000 events)]</pre>
 */
public final class SaleHourBenchmark {
    static final Instant START = Instant.parse("2026-11-27T15:00:00Z"); // Black Friday, 10:00 in New York

    private SaleHourBenchmark() {}

    public static void main(String[] args) throws Exception {
        // as the template configures every function but the admin API (the local runtime runs them in one JVM)
        if (System.getProperty("kindling.settingsTrustedMs") == null) System.setProperty("kindling.settingsTrustedMs", "1000");
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 330;
        SettableClock clock = new SettableClock(START.minus(Duration.ofDays(1)));
        try (LocalRuntime runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock))) {
            ShopSimulation shop = new ShopSimulation(runtime, clock, ShopSimulation.Mix.REFERENCE_HUNDREDTH, 33);
            shop.setUp(START);
            // the sale runs at the shop's own rate: the table's stream in batches of the template's minute
            runtime.flushStreams();
            runtime.streamBatchingWindow(MonthBenchmark.STREAM_WINDOW);
            CapacityMeter meter = runtime.services().table().meter();
            meter.perPartition(clock);
            ShopSimulation.Counts before = shop.saleSecond(START.minusSeconds(1), 0);
            long t0 = System.nanoTime();
            ShopSimulation.Counts after = before;
            for (int s = 0; s < seconds; s++) after = shop.saleSecond(START.plusSeconds(s), sessions);
            runtime.flushStreams(); // what waits in a window is written in the sale's last second
            double took = (System.nanoTime() - t0) / 1e9;
            long events = after.trackedEvents() + after.webhooks() - before.trackedEvents() - before.webhooks();
            System.out.printf("# sale seconds: %d, %d visits a second; %,d events sent (%,.0f a second of the shop's time; %.0f s of real time)%n",
                    seconds, sessions, events, events / (double) seconds, took);

            List<CapacityMeter.Peak> peaks = meter.peaks();
            Map<String, double[]> byKind = new LinkedHashMap<>();
            for (CapacityMeter.Peak p : peaks) {
                double[] worst = byKind.computeIfAbsent(kind(p.pk()), k -> new double[3]);
                worst[0] = Math.max(worst[0], p.writeUnits());
                worst[1] = Math.max(worst[1], p.readUnits());
                worst[2]++;
            }
            System.out.println("| partition key (ids folded) | partitions | busiest second: WRU | RRU |");
            System.out.println("|---|---:|---:|---:|");
            byKind.entrySet().stream().sorted((a, b) -> Double.compare(Math.max(b.getValue()[0], b.getValue()[1] / 3),
                            Math.max(a.getValue()[0], a.getValue()[1] / 3))).limit(20)
                    .forEach(e -> System.out.printf("| `%s` | %,d | %,.0f%s | %,.0f%s |%n", e.getKey(), (long) e.getValue()[2], e.getValue()[0],
                            e.getValue()[0] > 1000 ? " **over 1,000**" : "", e.getValue()[1], e.getValue()[1] > 3000 ? " **over 3,000**" : ""));
            long over = peaks.stream().filter(p -> p.writeUnits() > 1000 || p.readUnits() > 3000).count();
            System.out.printf("partitions over a limit in some second: %d of %d%n", over, peaks.size());

            // where an event's units go, by kind of item (issue 33's writes per event)
            Map<String, double[]> totals = new LinkedHashMap<>();
            for (CapacityMeter.Peak p : peaks) {
                double[] t = totals.computeIfAbsent(item(p.pk()), k -> new double[2]);
                t[0] += p.writeTotal();
                t[1] += p.readTotal();
            }
            double allWrites = totals.values().stream().mapToDouble(t -> t[0]).sum(), allReads = totals.values().stream().mapToDouble(t -> t[1]).sum();
            System.out.printf("%n| units per event, by kind of item | WRU | RRU |%n|---|---:|---:|%n");
            totals.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(15)
                    .forEach(e -> System.out.printf("| `%s` | %.2f | %.2f |%n", e.getKey(), e.getValue()[0] / events, e.getValue()[1] / events));
            System.out.printf("| **all** | **%.2f** | **%.2f** |%n", allWrites / events, allReads / events);
            shop.close();
        }
    }

    // compiled once: the meter folds the keys of every request with these, on the threads it measures (String.replaceAll
    // compiled each pattern each time, a fortieth of the campaign's senders' time)
    private static final Pattern SHARD = Pattern.compile("~\\d+$"), SEGMENT_SHARD = Pattern.compile("#M#[^#]+#<n>$"),
            UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), NUMBER = Pattern.compile("\\d{4,}"),
            IDENTITY = Pattern.compile("#(E|U|A|AN|EM|PH)#[^#]+$");

    /** A kind of item: the partition's kind, the shards of a group as one (S#demo#REPORT#shop~3 as S#demo#REPORT#shop~k). */
    static String item(String pk) {
        return SEGMENT_SHARD.matcher(SHARD.matcher(kind(pk)).replaceAll("~k")).replaceAll("#M#<segment>#<n>");
    }

    /** A partition key with its ids folded: S#demo#C#<id>, S#demo#REPORT#attr:campaign:<id> … */
    static String kind(String pk) {
        return IDENTITY.matcher(NUMBER.matcher(UUID.matcher(pk).replaceAll("<id>")).replaceAll("<n>")).replaceAll("#$1#<value>");
    }
}
