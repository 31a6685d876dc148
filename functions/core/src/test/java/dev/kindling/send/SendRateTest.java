package dev.kindling.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendRateTest {
    /** The shared slot, as one DynamoDB item holds it: compare-and-set. */
    static final class MemorySlots implements SendRate.Slots {
        final AtomicLong value = new AtomicLong(-1);
        final AtomicLong writes = new AtomicLong();
        final AtomicLong lost = new AtomicLong();

        @Override
        public OptionalLong compareAndSet(Long expected, long next) {
            writes.incrementAndGet();
            long want = expected == null ? -1 : expected;
            if (value.compareAndSet(want, next)) return OptionalLong.empty();
            lost.incrementAndGet();
            return OptionalLong.of(value.get());
        }
    }

    @Test
    void deferredSendsTakeNoSlotSoTheNextFreeSlotNeverRunsAheadOfTheClock() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:00Z"));
        MemorySlots slots = new MemorySlots();
        SendRate rate = new SendRate(slots, clock);
        Duration maxWait = Duration.ofSeconds(5);
        for (int i = 0; i < 6; i++) assertThat(rate.reserve(1, maxWait).taken()).isTrue(); // slots 0..5 s
        // a burst beyond what the next 5 seconds hold: every one deferred, none holding a slot
        for (int i = 0; i < 1000; i++) {
            SendRate.Slot slot = rate.reserve(1, maxWait);
            assertThat(slot.taken()).isFalse();
            assertThat(slot.at()).isEqualTo(clock.now.plusSeconds(6));
        }
        clock.now = clock.now.plusSeconds(10);
        SendRate.Slot later = rate.reserve(1, maxWait);
        assertThat(later.taken()).isTrue();
        assertThat(later.at()).as("not 1000 seconds ahead").isEqualTo(clock.now);
    }

    /**
     * At 200 a second each compare-and-set takes 50 ms of slots (10), which the instance hands to its senders: two
     * instances of sixteen senders take 4,000 slots with at most a quarter of the writes one a slot makes (a write lost
     * to the other instance's is billed too), never give one slot twice, never put more than 200 in a second, and drop
     * a slot that passed unused rather than send it late.
     */
    @Test
    void atTwoHundredASecondOneWriteTakesTenSlotsAndNoSecondHoldsMoreThanTheRate() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:00Z"));
        MemorySlots slots = new MemorySlots();
        SendRate one = new SendRate(slots, clock), other = new SendRate(slots, clock);
        Duration maxWait = Duration.ofSeconds(5);
        java.util.List<Instant> taken = new java.util.ArrayList<>();
        // sixteen senders an instance, as a campaign worker has: each asks when it is free, sends at its slot (taking 20 ms),
        // or, told the next slot is too far off, asks again then
        Instant[] free = new Instant[32];
        java.util.Arrays.fill(free, clock.now);
        while (taken.size() < 4000) {
            for (int sender = 0; sender < free.length; sender++) {
                if (free[sender].isAfter(clock.now)) continue;
                SendRate.Slot slot = (sender < 16 ? one : other).reserve(200, maxWait);
                if (slot.taken()) taken.add(slot.at());
                free[sender] = slot.taken() ? (slot.at().isAfter(clock.now) ? slot.at() : clock.now).plusMillis(20) : slot.at();
            }
            clock.now = clock.now.plusMillis(1);
        }
        assertThat(slots.writes.get()).as("compare-and-sets for 4,000 slots, against 4,000 and more one at a time").isLessThanOrEqualTo(1000);
        assertThat(new java.util.HashSet<>(taken)).as("no slot twice").hasSize(taken.size());
        java.util.List<Instant> sorted = taken.stream().sorted().toList();
        for (int i = 200; i < sorted.size(); i++) {
            assertThat(Duration.between(sorted.get(i - 200), sorted.get(i))).as("201 slots span at least a second").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        // a batch taken, then nobody sends for a while: its slots pass unused and are not handed out late
        clock.now = clock.now.plusSeconds(10);
        Instant idle = clock.now;
        one.reserve(200, maxWait);
        clock.now = clock.now.plusSeconds(3);
        assertThat(one.reserve(200, maxWait).at()).as("a fresh slot, not one of the passed batch").isAfterOrEqualTo(idle.plusSeconds(3));
    }

    /**
     * A worker's sixteen senders, on threads of their own, against a shared slot that takes a moment to answer (as DynamoDB
     * does): one of them takes each batch while the others wait for it, and a batch for each of them, so no write is lost
     * to a sender of the same instance and none is more than a tenth of the slots. Each sender racing for the shared slot
     * at once, most of the writes were such races, each billed.
     */
    @Test
    void anInstancesSendersTakeEachBatchOnceNotInARaceAmongThemselves() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-23T10:00:00Z"));
        MemorySlots answering = new MemorySlots();
        SendRate.Slots slow = (expected, next) -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answering.compareAndSet(expected, next);
        };
        SendRate rate = new SendRate(slow, clock);
        java.util.Set<Instant> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
        var senders = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int sender = 0; sender < 16; sender++) {
                done.add(senders.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        SendRate.Slot slot = rate.reserve(200, Duration.ofHours(1));
                        assertThat(slot.taken()).isTrue();
                        assertThat(taken.add(slot.at())).as("no slot twice").isTrue();
                    }
                    return null;
                }));
            }
            for (var d : done) d.get();
        } finally {
            senders.shutdownNow();
        }
        assertThat(taken).hasSize(1600);
        assertThat(answering.writes.get()).as("a write for ten slots or more").isLessThanOrEqualTo(160);
        assertThat(answering.lost.get()).as("writes lost to another sender of the instance").isZero();
    }
}
