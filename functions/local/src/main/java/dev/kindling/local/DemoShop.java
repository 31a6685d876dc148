package dev.kindling.local;

import dev.kindling.imports.ImportFormat;
import dev.kindling.imports.ImportStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/kindling-local --demo}: the demo shop's last 60 days lived in skipped time before the runtime
 * opens, through the real ingest path ({@link ShopSimulation}: a few thousand customers browsing, carting,
 * ordering, opening and clicking; its segments, journeys and campaigns running), so every page of the
 * dashboard has figures the moment it opens. Then the clock is released to real time and the schedules
 * and the journeys' waits go on on their timers, as in any local run.
 */
public final class DemoShop {
    /**
     * A few thousand customers, half of them subscribed and a quarter with past orders, about 1,800 visits
     * over the 60 days, and the weekly newsletter (the simulation's twice-weekly deals are left out: their
     * emails and SES events would double the fill's time, which is mostly DynamoDB Local's). No complaints:
     * at this volume one complaint in a week is above the guard's 0.08%, and it would pause marketing email
     * for the rest of the demo's past.
     */
    public static final ShopSimulation.Mix MIX = new ShopSimulation.Mix(2000, 30, 2, 0.5, 0.25, 0);
    public static final int DAYS = 60;
    /** The demo's seed: the same shop every time. */
    private static final long SEED = 16;

    /** What the fill did, to print. */
    public record Filled(int customers, ShopSimulation.Counts counts, int emails, Duration took) {}

    private DemoShop() {}

    /**
     * {@code --demo}'s past as the shop's own systems would export it ({@link ShopHistory}): 600 customers, half of them
     * subscribed, a quarter with 1-4 orders in the past year, and 60 days of visits (10 a day: products viewed, carted,
     * checked out, bought), imported as history through the importer.
     */
    public static final ShopHistory HISTORY = new ShopHistory(600, 0.5, 0.25, 10, DAYS, SEED);

    /** What an import-filled past brought in, to print. */
    public record Imported(int customers, int orders, int visitEvents, long rows, Duration took) {}

    /**
     * Fills the demo shop's past through the importer, as a shop that moves in fills its own: its customer export, its
     * order export and its visits (Segment-spec JSONL) imported as history (no journey starts and nothing is sent because
     * of them), then its segments and newsletter, then the refresh that fits the lifetime-value model and counts the
     * segments. Then the clock is released to real time and the schedules and journeys run on their timers.
     */
    public static Imported importPast(LocalRuntime runtime, SettableClock clock, ShopHistory history, PrintStream progress) throws Exception {
        long started = System.nanoTime();
        Instant now = Instant.now();
        clock.set(now);
        ShopSimulation shop = new ShopSimulation(runtime, clock, MIX, SEED);
        try {
            ShopHistory.Files files = history.generate(now);
            long rows = 0;
            for (var source : List.of(Map.entry(ImportFormat.SHOPIFY_CUSTOMERS_CSV, files.customersCsv()),
                    Map.entry(ImportFormat.SHOPIFY_ORDERS_CSV, files.ordersCsv()), Map.entry(ImportFormat.SEGMENT_JSONL, files.visitsJsonl()))) {
                ImportStatus done = imported(runtime, source.getKey(), source.getValue());
                rows += done.tally().read();
                progress.printf("[demo] imported %s: %,d read, %,d imported, %,d skipped (%.0f s)%n", source.getKey().wireName(), done.tally().read(),
                        done.tally().imported(), done.tally().skipped(), (System.nanoTime() - started) / 1e9);
            }
            runtime.bus().awaitQuiet(Duration.ofMinutes(5));
            progress.printf("[demo] scores, stages, segments, reports and the catalog caught up (%.0f s)%n", (System.nanoTime() - started) / 1e9);
            // as a shop that moves in does: its history first, then its segments, each filled once from the profiles (not
            // re-evaluated on every imported event), and its newsletter
            configure(shop);
            shop.refresh();
            runtime.bus().awaitQuiet(Duration.ofMinutes(2));
            progress.printf("[demo] refreshed: the lifetime-value model fitted, the segments counted (%.0f s)%n", (System.nanoTime() - started) / 1e9);
            clock.release();
            runtime.goLive();
            return new Imported(files.customerRows(), files.orders(), files.visitEvents(), rows, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            shop.close();
        }
    }

    /** The demo shop's configuration: its site and brand, its segments and its weekly newsletter. */
    static void configure(ShopSimulation shop) throws Exception {
        shop.segments();
        shop.campaigns();
        shop.admin("DELETE", "/admin/campaigns/deals", "", "application/json");
    }

    /** Runs an import of the demo shop to its end (the demo and the import benchmark). */
    public static ImportStatus imported(LocalRuntime runtime, ImportFormat format, byte[] file) throws InterruptedException {
        var imports = runtime.services().imports();
        ImportStatus started = imports.start(ShopsFile.DEMO, format, format.wireName(), file);
        while (true) {
            ImportStatus now = imports.store().get(ShopsFile.DEMO.id(), started.id()).orElseThrow();
            if (now.state() != ImportStatus.State.running) return now;
            Thread.sleep(250); // each look is a read of DynamoDB Local, which the import itself is waiting on
        }
    }

    /** The clock a demo runtime starts on: a day before its past of {@code days} begins, so the past ends now. */
    public static SettableClock clock(Instant now, int days) {
        return new SettableClock(now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(days + 1)));
    }

    /** Lives the past under the runtime's settable clock, then releases it to real time and starts the timers. */
    public static Filled fill(LocalRuntime runtime, SettableClock clock, ShopSimulation.Mix mix, int days, PrintStream progress) throws Exception {
        long started = System.nanoTime();
        Instant start = clock.instant().plus(Duration.ofDays(1));
        ShopSimulation shop = new ShopSimulation(runtime, clock, mix, SEED);
        try {
            progress.printf("[demo] filling the demo shop: %,d customers, then %d days of skipped time%n", mix.profiles(), days);
            shop.setUp(start);
            // the simulation's deals campaign is not part of the demo
            shop.admin("DELETE", "/admin/campaigns/deals", "", "application/json");
            ShopSimulation.Counts counts = ShopSimulation.Counts.NONE;
            for (int day = 0; day < days; day += 10) {
                int span = Math.min(10, days - day);
                counts = counts.plus(shop.run(start.plus(Duration.ofDays(day)), span, 6, 24));
                progress.printf("[demo] day %d of %d (%.0f s)%n", day + span, days, (System.nanoTime() - started) / 1e9);
            }
            // the refresh once more at the end, so every segment's count and the lifetime-value model are today's
            clock.set(Instant.now());
            shop.refresh();
            runtime.bus().awaitQuiet(Duration.ofMinutes(2));
            clock.release();
            runtime.goLive();
            return new Filled(mix.profiles() + (int) counts.signups(), counts, runtime.outbox().all().size(), Duration.ofNanos(System.nanoTime() - started));
        } finally {
            shop.close();
        }
    }
}
