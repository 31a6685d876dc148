package dev.kindling.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A ticking clock set to noon UTC today: tests that expect an email sent at once must not fall in
 * the default quiet hours (21:00–08:00 UTC), whatever hour the suite runs.
 */
final class DaytimeClock {
    private DaytimeClock() {}

    static Instant noonToday() {
        return LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    static Clock ticking() {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), noonToday()));
    }
}
