package dev.kindling.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock moved by hand, for tests, benchmarks and the demo shop's past: time is skipped, never waited
 * for. Once {@link #release released} it follows real time (the demo shop goes live after its past).
 */
public final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;
    private volatile boolean released;

    public SettableClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    /** From now on the clock is real time; it must not be behind it, so time never goes back. */
    public void release() {
        if (now.get().isAfter(Instant.now())) throw new IllegalStateException("the clock is ahead of real time: " + now.get());
        released = true;
    }

    public boolean released() {
        return released;
    }

    public void advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
        return released ? Instant.now() : now.get();
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
