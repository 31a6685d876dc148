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

        @Override
        public OptionalLong compareAndSet(Long expected, long next) {
            long want = expected == null ? -1 : expected;
            return value.compareAndSet(want, next) ? OptionalLong.empty() : OptionalLong.of(value.get());
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
}
