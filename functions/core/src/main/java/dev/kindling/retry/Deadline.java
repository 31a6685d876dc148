package dev.kindling.retry;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded work: a stop that answers true once a budget of elapsed time has passed, for work that must hand back
 * what it has before a timeout (an admin call's scan, a shop's erasure in one invocation). Measured on the
 * machine's monotonic timer, as it is the call's own duration, whatever the business clock says.
 */
public final class Deadline {
    private Deadline() {}

    public static BooleanSupplier after(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        return () -> System.nanoTime() - deadline >= 0;
    }
}
