package dev.kindling.local;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
