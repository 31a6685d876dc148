package dev.kindling.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window counters for the public endpoints anyone can call (sign-ups): how often one source
 * address, or one email address, may ask within a window; and for a journey's daily cap of entries. A counter is one item per key and window
 * that expires with it, incremented atomically, so every function instance counts together.
 */
public interface RateLimits {

    /** Counts one request for {@code key} in the window holding {@code now}; false when it is over {@code limit}. */
    boolean allow(String shopId, String key, int limit, Duration window, Instant now);
}
