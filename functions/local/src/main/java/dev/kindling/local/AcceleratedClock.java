package dev.kindling.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that runs {@code speed} times faster than real time from the moment it is made (journeys with days of waiting, watched in minutes). */
public final class AcceleratedClock extends Clock {
    private final Clock real;
    private final Instant start;
    private final double speed;

    public AcceleratedClock(Clock real, double speed) {
        if (speed <= 0) throw new IllegalArgumentException("--speed must be above 0");
        this.real = real;
        this.start = real.instant();
        this.speed = speed;
    }

    @Override
    public Instant instant() {
        long elapsed = Duration.between(start, real.instant()).toNanos();
        return start.plusNanos((long) (elapsed * speed));
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
