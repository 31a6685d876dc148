package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh local runtime for each test on a clock the test sets and moves (waits, windows, schedules and flushes happen
 * when it says), and a client to call it as shops, trackers and admins do.
 */
abstract class WithSettableRuntime {
    final SettableClock clock;
    LocalRuntime runtime;
    RuntimeClient client;

    /** @param start where the clock starts for each test */
    WithSettableRuntime(Instant start) {
        clock = new SettableClock(start);
    }

    @BeforeEach
    void startRuntime() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, clock));
        client = new RuntimeClient(runtime);
    }

    @AfterEach
    void stopRuntime() throws Exception {
        runtime.close();
    }

    /** Waits until what the last calls set going (bus deliveries, journey turns and what they cause) has run. */
    void idle() throws Exception {
        for (int i = 0; i < 5; i++) {
            client.settle();
            assertThat(runtime.journeys().awaitIdle(Duration.ofSeconds(30))).isTrue();
        }
    }

    /** Moves the clock on, runs the journey turns then due, and waits for them. */
    void skip(Duration d) throws Exception {
        clock.advance(d);
        runtime.journeys().runDue();
        idle();
    }
}
