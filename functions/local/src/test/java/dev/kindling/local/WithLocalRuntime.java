package dev.kindling.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh local runtime on the real clock for each test, and a client to call it as shops, trackers and admins do. */
abstract class WithLocalRuntime {
    LocalRuntime runtime;
    RuntimeClient client;

    @BeforeEach
    void startRuntime() throws Exception {
        runtime = new LocalRuntime(new LocalRuntime.Options(0, null, null, DaytimeClock.ticking()));
        client = new RuntimeClient(runtime);
    }

    @AfterEach
    void stopRuntime() throws Exception {
        runtime.close();
    }
}
