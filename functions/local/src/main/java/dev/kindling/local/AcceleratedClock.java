package dev.kindling.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code speed} times faster than real time (journeys with days of waiting,
 * watched in minutes), from a start instant: now, or where a previous run on the same data folder
 * left off, so a restart never moves the runtime's time back behind what it already stored
 * (send slots, journey waits, segment windows).
 */
public final class AcceleratedClock extends Clock {
    private final Clock real;
    private final Instant realStart;
    private final Instant start;
    private final double speed;

    public AcceleratedClock(Clock real, double speed) {
        this(real, speed, null);
    }

    /** @param resumeFrom the runtime time a previous run reached, or null; the clock starts there when it is later than now */
    public AcceleratedClock(Clock real, double speed, Instant resumeFrom) {
        if (speed <= 0) throw new IllegalArgumentException("--speed must be above 0");
        this.real = real;
        this.realStart = real.instant();
        this.start = resumeFrom != null && resumeFrom.isAfter(realStart) ? resumeFrom : realStart;
        this.speed = speed;
    }

    @Override
    public Instant instant() {
        long elapsed = Duration.between(realStart, real.instant()).toNanos();
        return start.plusNanos((long) (elapsed * speed));
    }

    /** How long a span of this clock's time takes in real time. */
    public Duration realTime(Duration span) {
        return Duration.ofNanos((long) (span.toNanos() / speed));
    }

    /** How long a span of {@code clock}'s time takes in real time: shorter under --speed, the same on the real clock. */
    public static Duration realTime(Clock clock, Duration span) {
        return clock instanceof AcceleratedClock accelerated ? accelerated.realTime(span) : span;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
