package dev.kindling.local;

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
}
