package dev.kindling.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Keeps every function instance together under the account's send rate: a generic cell rate
 * algorithm over one shared value, the next free send slot (microseconds since the epoch). Each
 * send takes the slot max(next, now) and moves it on by 1/rate, with a compare-and-set, so sends
 * are spaced evenly and no second holds more than the rate allows.
 */
public final class SendRate {

    /** The shared slot: {@code compareAndSet} answers empty on success, or the value it found (-1: none yet). */
    public interface Slots {
        OptionalLong compareAndSet(Long expected, long next);
    }

    private final Slots slots;
    private final Clock clock;
    private volatile long lastSeen = -1;

    public SendRate(Slots slots, Clock clock) {
        this.slots = slots;
        this.clock = clock;
    }

    /** A slot: taken (send then), or only looked at (the next one is more than the longest wait away: try again at {@code at}). */
    public record Slot(Instant at, boolean taken) {}

    /**
     * Takes the next slot at {@code perSecond} if it comes within {@code maxWait}; otherwise takes
     * nothing and says when the next one is. A send that is deferred must not hold a slot: the
     * slots it took would push every later send further out, the more so the more often it is
     * tried again, until the next free slot runs days ahead of the clock.
     */
    public Slot reserve(double perSecond, Duration maxWait) {
        long interval = Math.max(1, Math.round(1_000_000 / perSecond));
        Long expected = lastSeen < 0 ? null : lastSeen;
        for (int attempt = 0; attempt < 1000; attempt++) {
            long now = micros(clock.instant());
            long slot = Math.max(expected == null ? 0 : expected, now);
            if (slot - now > maxWait.toNanos() / 1000) {
                // slots only move forward, so even a stale reading this far out means the real one is too: nothing is written
                return new Slot(Instant.EPOCH.plus(Duration.ofNanos(slot * 1000)), false);
            }
            OptionalLong found = slots.compareAndSet(expected, slot + interval);
            if (found.isEmpty()) {
                lastSeen = slot + interval;
                return new Slot(Instant.EPOCH.plus(Duration.ofNanos(slot * 1000)), true);
            }
            expected = found.getAsLong() < 0 ? null : found.getAsLong();
        }
        throw new IllegalStateException("could not reserve a send slot");
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }
}
