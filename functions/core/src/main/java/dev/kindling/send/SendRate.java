package dev.kindling.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps every function instance together under the account's send rate: a generic cell rate
 * algorithm over one shared value, the next free send slot (microseconds since the epoch). Each
 * send takes the slot max(next, now) and moves it on by 1/rate, with a compare-and-set, so sends
 * are spaced evenly and no second holds more than the rate allows.
 *
 * <p>At a rate of 40 a second and more, one compare-and-set takes the slots of the next {@value #BATCH_SPAN_MS} ms at once
 * ({@link #batch}) and this instance hands them to its own senders in turn: a campaign worker's sixteen senders at 200 a
 * second make 20 writes a second to the shared item, not 200 and their lost races (each billed as a write), and at
 * 1,000 a second the item stays far under DynamoDB's 1,000 writes a second per partition. One sender of an instance takes
 * a batch while its others wait, and takes a batch for each of them too (up to {@value #MAX_AHEAD_MS} ms of the rate), so
 * no write is a race lost to a sender of the same instance and a slow write leaves none of them without a slot. A slot
 * of the batch that passes unused is dropped, never sent late: no second gets more than the rate.
 */
public final class SendRate {

    /** The shared slot: {@code compareAndSet} answers empty on success, or the value it found (-1: none yet). */
    public interface Slots {
        OptionalLong compareAndSet(Long expected, long next);
    }

    private final Slots slots;
    private final Clock clock;
    private volatile long lastSeen = -1;
    /** Slots this instance took in a batch and has not handed out yet, in order (microseconds since the epoch). */
    private final ArrayDeque<Long> owned = new ArrayDeque<>();
    /** Held by the one sender of this instance taking a batch from the shared slot. */
    private final Object taking = new Object();
    /** Senders of this instance waiting for the one taking a batch. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** How much of the rate one compare-and-set takes at once. */
    static final long BATCH_SPAN_MS = 50;
    static final int MAX_BATCH = 64;
    /** The most of the rate one compare-and-set takes for senders waiting together. */
    static final long MAX_AHEAD_MS = 250;

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
        Slot mine = owned(interval);
        if (mine != null) return mine;
        // one sender of this instance takes the next batch while the others wait for it: they would each race for the shared
        // slot at once, and each race lost is a write billed for nothing. The batch is as large as the senders waiting need
        // (each a batch, as each would have won one in the race): one slow write leaves none of them short of slots
        waiting.incrementAndGet();
        synchronized (taking) {
            int others = waiting.decrementAndGet();
            mine = owned(interval);
            return mine != null ? mine : take(perSecond, interval, maxWait, others);
        }
    }

    /** The next slot of this instance's batch, or null when it has none left that is still due. */
    private Slot owned(long interval) {
        synchronized (owned) {
            long now = micros(clock.instant());
            // a slot may be taken until the next one is due; one whose interval has passed unused is gone
            while (!owned.isEmpty() && owned.peekFirst() + interval <= now) owned.pollFirst();
            return owned.isEmpty() ? null : new Slot(Instant.EPOCH.plus(Duration.ofNanos(owned.pollFirst() * 1000)), true);
        }
    }

    /**
     * Takes a batch of slots from the shared one ({@link #batch}, with {@code others} senders waiting): the first for this
     * send, the others kept; or says when the next one is.
     */
    private Slot take(double perSecond, long interval, Duration maxWait, int others) {
        int batch = batch(perSecond, others);
        Long expected = lastSeen < 0 ? null : lastSeen;
        for (int attempt = 0; attempt < 1000; attempt++) {
            long now = micros(clock.instant());
            long slot = Math.max(expected == null ? 0 : expected, now);
            if (slot - now > maxWait.toNanos() / 1000) {
                // slots only move forward, so even a stale reading this far out means the real one is too: nothing is written
                return new Slot(Instant.EPOCH.plus(Duration.ofNanos(slot * 1000)), false);
            }
            OptionalLong found = slots.compareAndSet(expected, slot + batch * interval);
            if (found.isEmpty()) {
                lastSeen = slot + batch * interval;
                synchronized (owned) {
                    for (int i = 1; i < batch; i++) owned.addLast(slot + i * interval);
                }
                return new Slot(Instant.EPOCH.plus(Duration.ofNanos(slot * 1000)), true);
            }
            expected = found.getAsLong() < 0 ? null : found.getAsLong();
        }
        throw new IllegalStateException("could not reserve a send slot");
    }

    /**
     * The slots one compare-and-set takes at this rate: those of {@value #BATCH_SPAN_MS} ms, one below 40 a second; at
     * rates that batch, as many again for each of {@code waiting} senders, up to {@value #MAX_BATCH} slots and
     * {@value #MAX_AHEAD_MS} ms of the rate.
     */
    static int batch(double perSecond, int waiting) {
        int one = (int) Math.max(1, Math.min(MAX_BATCH, Math.floor(perSecond * BATCH_SPAN_MS / 1000.0)));
        if (one == 1) return 1;
        double most = Math.min(MAX_BATCH, Math.floor(perSecond * MAX_AHEAD_MS / 1000.0));
        return (int) Math.max(one, Math.min(most, (double) one * (1 + waiting)));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }
}
