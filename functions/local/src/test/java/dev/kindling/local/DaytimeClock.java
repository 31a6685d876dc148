package dev.kindling.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A ticking clock set to the latest noon UTC (today's, or yesterday's before midday): tests that expect an
 * email sent at once must not fall in the default quiet hours (21:00–08:00 UTC), whatever hour the suite
 * runs. Never ahead of the real clock, which functions started in their own JVMs keep (their send slots
 * must not lie in the runtime's future).
 */
final class DaytimeClock {
    private DaytimeClock() {}

    static Instant noonToday() {
        Instant noon = LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
        return noon.isAfter(Instant.now()) ? noon.minus(Duration.ofDays(1)) : noon;
    }

    static Clock ticking() {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), noonToday()));
    }
}
