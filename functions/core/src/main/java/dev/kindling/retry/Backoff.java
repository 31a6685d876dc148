package dev.kindling.retry;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (AWS's recommendation for retried calls): before retry
 * {@code attempt} (0 for the first) a random pause of up to {@code min(cap, base * 2^attempt)}, so
 * callers that collided, on one item or on a throttled service, spread out instead of colliding again.
 */
public final class Backoff {
    private Backoff() {}

    /** Sleeps before retry {@code attempt}; an interrupt stops the retrying with an exception naming {@code what}. */
    public static void pause(int attempt, long baseMillis, long capMillis, String what) {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying " + what, e);
        }
    }
}
